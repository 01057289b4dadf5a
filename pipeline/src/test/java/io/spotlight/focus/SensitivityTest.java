package io.spotlight.focus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spotlight.events.FocusReference;
import io.spotlight.events.FocusStats;
import io.spotlight.testing.Models;
import java.util.List;
import org.junit.jupiter.api.Test;

class SensitivityTest {

    final FocusSettings settings = FocusSettings.of(Models.shippedModel("fashion-cnn").card());

    @Test
    void mixingMovesAShareOfTheMassIntoTheTarget() {
        FocusReference r = NullDistributionTest.reference(0, 100);
        FocusStats s = r.sample().get(0);
        FocusStats target = NullDistributionTest.reference(100, 100).sample().get(0);
        FocusStats m = Sensitivity.mix(s, target, 0.25);
        assertThat(m.grid()).containsExactly(0.75f, 0.25f);
        assertThat(m.forbiddenTotal()).isCloseTo(0.25, within(1e-12));
        assertThat(m.centreX()).isCloseTo(0.75 * 0.25 + 0.25 * 0.75, within(1e-12));
        assertThat(m.entropy()).isCloseTo(FocusCalculator.entropy(new double[] {0.75, 0.25}), within(1e-12));
    }

    @Test
    void aLargerShiftNeedsFewerExplanationsAndNoShiftIsNeverCaught() {
        // A reference with some forbidden mass (10 of 100 explanations), shifted into its forbidden half.
        FocusReference r = NullDistributionTest.reference(10, 100);
        FocusStats target = NullDistributionTest.reference(100, 100).sample().get(0);
        NullCache nulls = new NullCache(5000, 64);
        List<Sensitivity.Row> rows = Sensitivity.of(r, List.of(new Sensitivity.Target("forbidden half", target)), new double[] {0, 0.1, 0.3},
                List.of(WindowStatistic.FORBIDDEN_MASS), 0.999, 0.9, nulls);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).explanations()).as("no shift: windows beyond the 99.9 % point stay rare at every size").isNull();
        assertThat(rows.get(0).powerAtLargest()).isLessThan(0.05);
        assertThat(rows.get(1).explanations()).isNotNull();
        assertThat(rows.get(2).explanations()).isNotNull().isLessThan(rows.get(1).explanations());
    }

    @Test
    void aCardWithoutForbiddenRegionsIsProbedAtTheCorners() {
        FocusSettings none = new FocusSettings(7, 7, null, List.of(), List.of(), List.of(), 5, 8);
        assertThat(Sensitivity.targets(none, "grad-cam", false, 28, 28)).extracting(Sensitivity.Target::name)
                .containsExactly("region 'top-left corner'", "region 'top-right corner'", "region 'bottom-left corner'", "region 'bottom-right corner'");
        assertThat(Sensitivity.targets(settings, "grad-cam", false, 28, 28)).singleElement().satisfies(t ->
                assertThat(t.focus().forbiddenTotal()).isCloseTo(1.0, within(1e-9)));
    }
}

package io.spotlight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.events.DriftFigures;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's verdict beside a focus alert: the window's faithfulness judged by the null's limit, as the untrustworthy-explanations rule judges it. */
class DemoFaithfulnessTest {

    private static DriftFigures window(DriftFigures.Faith faith, Map<String, DriftFigures.Limits> limits) {
        return new DriftFigures(30, 0.05, 0.1, 0.2, 0.15, 3.0, 0.1, 0, null, null, limits == null ? null : 0.999, limits, faith, null);
    }

    @Test
    void aDropWithinTheNullsLimitSaysTheModelChanged() {
        String line = DemoCommand.faithfulnessBeside(window(new DriftFigures.Faith(16, 0.31, 0.37, -0.27),
                Map.of("faithfulness-drop", new DriftFigures.Limits(-0.3, 0.25))));
        assertThat(line).contains("16 scored explanations", "+0.270 from the reference's", "limit for this window: -0.250", "the model changed");
    }

    @Test
    void aDropBeyondTheNullsLimitSaysDoNotTrustTheExplanation() {
        String line = DemoCommand.faithfulnessBeside(window(new DriftFigures.Faith(16, 0.02, 0.01, 0.30),
                Map.of("faithfulness-drop", new DriftFigures.Limits(-0.3, 0.25))));
        assertThat(line).contains("-0.300 from the reference's", "do not trust it").doesNotContain("model changed");
    }

    @Test
    void withoutAReferenceFigureOnlyTheGainsSignsAreLeft() {
        assertThat(DemoCommand.faithfulnessBeside(window(new DriftFigures.Faith(5, 0.2, 0.1, null), null)))
                .contains("no reference figure");
        assertThat(DemoCommand.faithfulnessBeside(window(new DriftFigures.Faith(5, -0.2, 0.1, null), null)))
                .contains("do not trust");
        assertThat(DemoCommand.faithfulnessBeside(window(null, null))).contains("none scored");
        assertThat(DemoCommand.faithfulnessBeside(null)).contains("none scored");
    }

    @Test
    void aMethodsMeanGainsAreJudgedByTheirStandardErrors() {
        assertThat(new DemoCommand.Trust(50, 0.43, 0.04, 0.27, 0.03).line("grad-cam")).endsWith("trustworthy");
        assertThat(new DemoCommand.Trust(50, 0.04, 0.04, 0.09, 0.03).line("grad-cam")).endsWith("not yet told apart from a random order");
        assertThat(new DemoCommand.Trust(50, -0.2, 0.04, 0.09, 0.03).line("grad-cam")).endsWith("do not trust it");
        assertThat(new DemoCommand.Trust(5, 0.43, 0.04, 0.27, 0.03).line("grad-cam")).endsWith("too few to judge");
    }
}

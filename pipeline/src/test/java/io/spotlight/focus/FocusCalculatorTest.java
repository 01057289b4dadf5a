package io.spotlight.focus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spotlight.events.DriftFigures;
import io.spotlight.events.FocusReference;
import io.spotlight.events.FocusStats;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Focus statistics against values worked out by hand. */
class FocusCalculatorTest {

    /** A 2 x 2 grid over a 4 x 4 map; forbidden: the bottom-right quarter and a 1-pixel band. */
    static FocusSettings settings() {
        return new FocusSettings(2, 2, Region.box("centre", 0.25, 0.25, 0.75, 0.75),
                List.of(Region.box("corner", 0.5, 0.5, 1, 1), Region.band("frame", 0.25)), List.of("spam"), List.of(Pattern.compile("^@")), 3, 4);
    }

    @Test
    void imageMassGridEntropyCentreAndRegions() {
        // Mass 1 in pixel (0,0), 3 in pixel (3,3), sign ignored: total 4.
        float[] map = new float[16];
        map[0] = -1f;
        map[15] = 3f;
        FocusStats s = FocusCalculator.image("grad-cam", map, 4, 4, settings());
        assertThat(s.grid()).containsExactly(0.25f, 0f, 0f, 0.75f);
        // Entropy of (1/4, 3/4) over 4 cells: -(0.25 ln 0.25 + 0.75 ln 0.75) / ln 4.
        assertThat(s.entropy()).isCloseTo(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)) / Math.log(4), within(1e-12));
        // Pixel centres at 0.125 and 0.875: 0.25 * 0.125 + 0.75 * 0.875.
        assertThat(s.centreY()).isCloseTo(0.6875, within(1e-12));
        assertThat(s.centreX()).isCloseTo(0.6875, within(1e-12));
        assertThat(s.expectedMass()).isEqualTo(0.0);
        assertThat(s.forbiddenMass()).containsEntry("corner", 0.75).containsEntry("frame", 1.0);
        assertThat(s.forbiddenTotal()).as("the union, each pixel once").isEqualTo(1.0);
        assertThat(s.topCells().get(0)).isEqualTo(new FocusStats.Cell(1, 1, 0.75));
    }

    @Test
    void anAllZeroMapIsUniform() {
        FocusStats s = FocusCalculator.image("saliency", new float[16], 4, 4, settings());
        assertThat(s.entropy()).isCloseTo(1.0, within(1e-12));
        assertThat(s.expectedMass()).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void textMassLeavesSpecialTokensOutAndSumsWatchedTokens() {
        List<String> tokens = List.of("[CLS]", "great", "@bob", "spam", "great", "[SEP]");
        float[] map = {5f, 0.2f, -0.4f, 0.2f, 0.2f, 9f};
        FocusStats s = FocusCalculator.text("attention", map, tokens, settings());
        assertThat(s.watchMass()).isCloseTo(0.6, within(1e-9));
        assertThat(s.tokenMass()).containsOnlyKeys("great", "@bob", "spam");
        assertThat(s.tokenMass().get("great")).isCloseTo(0.4, within(1e-9));
        assertThat(s.topTokens()).extracting(FocusStats.TokenMass::token).containsExactly("@bob", "great", "spam");
        // Positions 1..4 of 6 tokens: relative positions 0.2, 0.4, 0.6, 0.8.
        assertThat(s.centreX()).isCloseTo(0.2 * 0.2 + 0.4 * 0.4 + 0.2 * 0.6 + 0.2 * 0.8, within(1e-9));
        assertThat(s.grid()).containsExactly(new float[] {0.2f, 0.4f, 0.2f, 0.2f}, within(1e-6f));
    }

    @Test
    void jensenShannonInBits() {
        assertThat(Divergence.jensenShannon(new double[] {0.5, 0.5}, new double[] {0.5, 0.5})).isEqualTo(0.0);
        assertThat(Divergence.jensenShannon(new double[] {1, 0}, new double[] {0, 1})).isCloseTo(1.0, within(1e-12));
        double kl1 = Math.log(1 / 0.75) / Math.log(2);
        double kl2 = (0.5 * Math.log(0.5 / 0.75) + 0.5 * Math.log(0.5 / 0.25)) / Math.log(2);
        assertThat(Divergence.jensenShannon(new double[] {1, 0}, new double[] {0.5, 0.5})).isCloseTo(0.5 * kl1 + 0.5 * kl2, within(1e-12));
    }

    @Test
    void windowMeansAndTheReferenceComparison() {
        FocusSettings s = settings();
        float[] left = new float[16];
        float[] right = new float[16];
        left[0] = 1;
        right[15] = 1;
        FocusWindow w = FocusWindow.empty()
                .add(FocusCalculator.image("grad-cam", left, 4, 4, s), "a", 10)
                .add(FocusCalculator.image("grad-cam", right, 4, 4, s), "b", 10)
                .add(FocusCalculator.image("saliency", right, 4, 4, s), "ignored: another method", 10);
        assertThat(w.count()).isEqualTo(2);
        assertThat(w.meanGrid()).containsExactly(0.5, 0, 0, 0.5);
        assertThat(w.meanForbidden()).isCloseTo(1.0, within(1e-12));
        assertThat(w.examples()).extracting(FocusWindow.Example::predictionId).containsExactly("a", "b");
        FocusReference ref = FocusWindow.empty().add(FocusCalculator.image("grad-cam", left, 4, 4, s), "r", 10).toReference();
        DriftFigures f = w.compareWith(ref);
        assertThat(f.jsDivergence()).isCloseTo(Divergence.jensenShannon(new double[] {0.5, 0, 0, 0.5}, new double[] {1, 0, 0, 0}), within(1e-12));
        assertThat(f.centreShift()).isCloseTo(Math.hypot(0.5 - 0.125, 0.5 - 0.125), within(1e-12));
        assertThat(f.forbiddenChange()).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void topTokenRankChange() {
        FocusSettings s = settings();
        FocusWindow ref = FocusWindow.empty().add(FocusCalculator.text("attention", new float[] {3, 2, 1},
                List.of("a", "b", "c"), s), "r", 10);
        FocusWindow now = FocusWindow.empty().add(FocusCalculator.text("attention", new float[] {1, 2, 3},
                List.of("a", "b", "c"), s), "n", 10);
        DriftFigures f = now.compareWith(ref.toReference());
        // Reference order a, b, c; now c, b, a: |2-0| + |1-1| + |0-2| over 3.
        assertThat(f.topTokenRankChange()).isCloseTo(4.0 / 3, within(1e-12));
        assertThat(f.topTokens()).containsExactly("c", "b", "a");
    }

    @Test
    void alertStateRaisesAfterKWindowsAndResolvesOnTheFirstBelow() {
        AlertState.Step a = AlertState.CLEAR.after(true, 2, 1000);
        assertThat(a.change()).isNull();
        AlertState.Step b = a.next().after(true, 2, 2000);
        assertThat(b.change()).isEqualTo("firing");
        assertThat(b.next().sinceMillis()).isEqualTo(2000);
        AlertState.Step c = b.next().after(true, 2, 3000);
        assertThat(c.change()).as("still firing, no new event").isNull();
        assertThat(c.next().firing()).isTrue();
        assertThat(c.next().after(false, 2, 4000).change()).isEqualTo("resolved");
        assertThat(a.next().after(false, 2, 3000).change()).as("one window over is not enough").isNull();
    }

    @Test
    void aRuleUsesTheNullQuantileOfItsStatisticUnlessAFixedThresholdOverridesIt() {
        DriftFigures f = new DriftFigures(10, 0.02, 0, 0.3, 0, 0, 0, 0, null, List.of(), 0.999,
                Map.of("forbidden-mass", new DriftFigures.Limits(0.01, 0.25), "js-divergence", new DriftFigures.Limits(0, 0.01)), null, null);
        AlertRule fromData = new AlertRule("forbidden-focus", WindowStatistic.FORBIDDEN_MASS, "critical", 2, null);
        assertThat(fromData.threshold(f)).isEqualTo(new AlertRule.Threshold(0.25, "null-quantile"));
        assertThat(fromData.value(f)).isEqualTo(0.3);
        assertThat(new AlertRule("forbidden-focus", WindowStatistic.FORBIDDEN_MASS, "critical", 2, 0.5).threshold(f))
                .isEqualTo(new AlertRule.Threshold(0.5, "fixed"));
        assertThat(new AlertRule("watched-tokens", WindowStatistic.WATCH_MASS, "critical", 2, null).threshold(f))
                .as("no limits for a statistic the reference has none for").isNull();
    }

    @Test
    void topTokensAndRanksAgreeWithAFullSort() {
        Random r = new Random(7);
        Map<String, Double> mass = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            mass.put("t" + r.nextInt(500), (double) r.nextInt(40));
        }
        FocusWindow w = new FocusWindow("attention", "text", new int[] {1, 8}, 1, new double[8], 0, 0, 0, 0, 0, mass, List.of(), List.of(), 0, 0, 0);
        List<String> sorted = mass.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).toList();
        assertThat(w.topTokens(10)).isEqualTo(sorted.subList(0, 10));
        for (String t : List.of(sorted.get(0), sorted.get(57), sorted.get(sorted.size() - 1))) {
            assertThat(w.rankOf(t)).isEqualTo(sorted.indexOf(t));
        }
        assertThat(w.rankOf("absent")).isEqualTo(sorted.size());
    }
}

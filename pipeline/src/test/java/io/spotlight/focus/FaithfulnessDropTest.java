package io.spotlight.focus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spotlight.events.DriftFigures;
import io.spotlight.events.FocusReference;
import io.spotlight.events.FocusStats;
import io.spotlight.events.FocusStats.TokenMass;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The window statistics of the explanations' faithfulness, judged the general way: a window's
 * scored maps' mean gain over a random order against the reference's, with a null distribution
 * resampled from the reference's explanations (only the scored ones define it), and the
 * untrustworthy-explanations rule at its quantile; and the nDCG of a text window's top tokens.
 */
class FaithfulnessDropTest {

    /** n image explanations, a share of them scored with gains drawn around {@code gain}. */
    static List<FocusStats> explanations(int n, double share, double gain, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<FocusStats> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FocusStats s = new FocusStats("grad-cam", "image", new int[] {1, 2}, new float[] {0.5f, 0.5f}, 1, 0.5, 0.5, null, Map.of(), 0,
                    null, null, null, null);
            out.add(random.nextDouble() < share ? s.scored(gain + 0.1 * (random.nextDouble() - 0.5), gain + 0.1 * (random.nextDouble() - 0.5)) : s);
        }
        return out;
    }

    static FocusReference reference(List<FocusStats> sample) {
        FocusReference m = FocusWindow.of(sample).means();
        return new FocusReference(null, m.method(), sample.size(), m.grid(), m.entropy(), m.centreY(), m.centreX(), m.forbidden(), m.watch(),
                m.topTokens(), sample, m.faithfulness()).identified();
    }

    @Test
    void aWindowWhoseMapsNoLongerBeatRandomIsBeyondTheNullsQuantileAndACleanOneIsNot() {
        FocusReference r = reference(explanations(1000, 0.3, 0.2, 1));
        assertThat(r.faithfulness()).isCloseTo(0.2, within(0.01));
        int size = 40;
        NullDistribution nulls = NullDistribution.of(r, size, 2000);
        double high = nulls.limits(0.999).get("faithfulness-drop").high();
        AlertRule rule = AlertRule.defaults(null, null, null, 2).stream().filter(x -> x.name().equals("untrustworthy-explanations")).findFirst()
                .orElseThrow();

        DriftFigures clean = FocusWindow.of(explanations(size, 0.3, 0.2, 2)).compareWith(r).withLimits(0.999, nulls.limits(0.999));
        DriftFigures random = FocusWindow.of(explanations(size, 0.3, 0.0, 3)).compareWith(r).withLimits(0.999, nulls.limits(0.999));
        assertThat(random.faithfulness().drop()).as("the gain fell from 0.2 to 0").isCloseTo(0.2, within(0.02));
        assertThat(rule.threshold(random)).isEqualTo(new AlertRule.Threshold(high, "null-quantile"));
        assertThat(rule.value(random)).as("beyond the null's 99.9 %% point %.3f", high).isGreaterThan(high);
        assertThat(rule.value(clean)).isLessThan(high);
        assertThat(clean.faithfulness().deletionGain()).isCloseTo(0.2, within(0.03));
        assertThat(high).as("the null's spread, for windows of 40 with 30 %% scored").isBetween(0.0, 0.1);

        DriftFigures none = FocusWindow.of(explanations(size, 0, 0.2, 4)).compareWith(r);
        assertThat(none.faithfulness()).as("no scored map: not judged").isNull();
        assertThat(rule.value(none)).isNull();
        FocusReference unscored = reference(explanations(100, 0, 0.2, 5));
        assertThat(FocusWindow.of(explanations(size, 0.3, 0.0, 6)).compareWith(unscored).faithfulness().drop())
                .as("a reference without scored maps has no figure to drop from").isNull();
    }

    @Test
    void theNullOfAStatisticLeavesOutDrawsWhereItIsUndefined() {
        // 2 % scored: most windows of 10 hold no scored map; those that do vary around a drop of 0.
        FocusReference r = reference(explanations(2000, 0.02, 0.2, 7));
        NullDistribution nulls = NullDistribution.of(r, 10, 4000);
        assertThat(nulls.values(WindowStatistic.FAITHFULNESS_DROP).length).as("defined draws only").isBetween(400, 1400);
        assertThat(nulls.quantile(WindowStatistic.FAITHFULNESS_DROP, 0.5)).isCloseTo(0, within(0.02));
        assertThat(nulls.values(WindowStatistic.JS_DIVERGENCE)).hasSize(4000);
    }

    @Test
    void theTokenRankingOfATextWindowIsComparedWithTheReferences() {
        FocusStats good = text(Map.of("good", 0.5, "zipper", 0.3, "the", 0.2));
        FocusReference r = FocusWindow.of(List.of(good, good)).means();
        assertThat(FocusWindow.of(List.of(good)).compareWith(r).tokenNdcg()).isEqualTo(1.0);
        DriftFigures shifted = FocusWindow.of(List.of(text(Map.of("@shopfan42", 0.6, "good", 0.3, "zipper", 0.1)))).compareWith(r);
        // Relevance 3, 2, 1 for good, zipper, the: (0 + 3 / log2 3 + 2 / 2) / (3 + 2 / log2 3 + 1 / 2).
        double log3 = Math.log(3) / Math.log(2);
        assertThat(shifted.tokenNdcg()).isCloseTo((3 / log3 + 1) / (3 + 2 / log3 + 0.5), within(1e-12));
        assertThat(FocusWindow.of(explanations(5, 0, 0, 8)).compareWith(reference(explanations(5, 0, 0, 9))).tokenNdcg())
                .as("images have no token ranking").isNull();
    }

    static FocusStats text(Map<String, Double> tokenMass) {
        return new FocusStats("attention", "text", new int[] {1, 2}, new float[] {0.5f, 0.5f}, 1, 0.5, 0.5, null, null, 0, null,
                tokenMass.entrySet().stream().map(e -> new TokenMass(e.getKey(), e.getValue())).toList(), 0.0, tokenMass);
    }
}

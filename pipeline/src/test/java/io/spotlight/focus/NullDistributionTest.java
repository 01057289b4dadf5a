package io.spotlight.focus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spotlight.events.FocusReference;
import io.spotlight.events.FocusStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The null distributions against closed forms: explanations whose forbidden mass is 0 or 1 make a
 * window's mean forbidden mass a binomial proportion, so its quantiles are known exactly; the
 * change from a reference redrawn at its own count has the variance of a difference of two
 * proportions.
 */
class NullDistributionTest {

    /** A reference of 100 explanations, {@code ones} of them entirely in the forbidden region. */
    static FocusReference reference(int ones, long count) {
        List<FocusStats> sample = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            boolean in = i < ones;
            sample.add(new FocusStats("grad-cam", "image", new int[] {1, 2}, in ? new float[] {0, 1} : new float[] {1, 0}, 0, 0.5, in ? 0.75 : 0.25,
                    null, Map.of("corner", in ? 1.0 : 0.0), in ? 1 : 0, null, null, null, null));
        }
        FocusWindow w = FocusWindow.of(sample);
        FocusReference r = w.means();
        return new FocusReference(null, r.method(), count, r.grid(), r.entropy(), r.centreY(), r.centreX(), r.forbidden(), r.watch(),
                r.topTokens(), sample).identified();
    }

    static double binomialCdf(int k, int n, double p) {
        double total = 0;
        for (int i = 0; i <= k; i++) {
            double c = 1;
            for (int j = 0; j < i; j++) {
                c = c * (n - j) / (j + 1);
            }
            total += c * Math.pow(p, i) * Math.pow(1 - p, n - i);
        }
        return total;
    }

    /** The smallest k/n whose binomial CDF reaches q: the q-quantile of a binomial proportion. */
    static double binomialQuantile(double q, int n, double p) {
        for (int k = 0; k <= n; k++) {
            if (binomialCdf(k, n, p) >= q) {
                return (double) k / n;
            }
        }
        return 1;
    }

    @Test
    void forbiddenMassQuantilesAreThoseOfABinomialProportionForTheWindowsOwnSize() {
        FocusReference r = reference(10, 100);
        for (int n : new int[] {20, 50}) {
            NullDistribution d = NullDistribution.of(r, n, 20_000);
            assertThat(d.size()).isEqualTo(n);
            for (double q : new double[] {0.5, 0.95}) {
                assertThat(d.quantile(WindowStatistic.FORBIDDEN_MASS, q)).as("n %d, q %s", n, q)
                        .isCloseTo(binomialQuantile(q, n, 0.1), within(1e-9));
            }
        }
        assertThat(NullDistribution.of(r, 20, 20_000).quantile(WindowStatistic.FORBIDDEN_MASS, 0.999))
                .as("a larger window is held to a tighter limit")
                .isGreaterThan(NullDistribution.of(r, 50, 20_000).quantile(WindowStatistic.FORBIDDEN_MASS, 0.999));
    }

    @Test
    void theChangeFromTheReferenceIncludesTheReferencesOwnNoise() {
        // A reference of 100 explanations: var = p(1-p)(1/n + 1/N) for the change, not p(1-p)/n.
        NullDistribution d = NullDistribution.of(reference(10, 100), 20, 20_000);
        double[] v = d.values(WindowStatistic.FORBIDDEN_CHANGE);
        double mean = Arrays.stream(v).average().orElseThrow();
        double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1);
        assertThat(var).isCloseTo(0.1 * 0.9 * (1.0 / 20 + 1.0 / 100), within(0.1 * 0.0054));
    }

    @Test
    void statisticsThatDoNotApplyHaveNoLimitsAndTheDrawsRepeat() {
        FocusReference r = reference(10, 100);
        NullDistribution a = NullDistribution.of(r, 20, 1000);
        assertThat(a.limits(0.999)).containsKeys("js-divergence", "forbidden-mass", "centre-shift").doesNotContainKey("top-token-rank-change");
        assertThat(a.limits(0.999)).isEqualTo(NullDistribution.of(r, 20, 1000).limits(0.999));
        assertThat(a.quantile(WindowStatistic.TOP_TOKEN_RANK_CHANGE, 0.5)).isNaN();
    }
}

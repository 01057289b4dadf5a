package io.spotlight.events;

import java.util.List;
import java.util.Map;

/**
 * How a window's focus differs from the reference: Jensen-Shannon divergence of the mean grids
 * (base 2, so in [0, 1]), centre-of-mass shift (in image fractions), forbidden mass and its
 * change, entropy change, mass on watched tokens, and for text the mean rank change of the
 * reference's top tokens and the nDCG of the window's top tokens against the reference's ranking;
 * and the faithfulness of the window's scored maps. {@code limits}: per statistic (js-divergence, forbidden-mass, ...), the
 * {@code quantile} and 1 - {@code quantile} points of its null distribution for windows of this
 * window's size, resampled from the reference's explanations; absent when the reference has none.
 */
public record DriftFigures(long count, double jsDivergence, double centreShift, double forbiddenMass, double forbiddenChange,
                           double entropy, double entropyChange, double watchMass, Double topTokenRankChange,
                           List<String> topTokens, Double quantile, Map<String, Limits> limits, Faith faithfulness, Double tokenNdcg) {

    /**
     * How faithful the window's scored maps are: how many were scored, their mean deletion and
     * insertion gains over a random order, and how far the mean of both fell below the reference's
     * ({@code drop}, positive when the explanations became less faithful; null without a reference
     * figure).
     */
    public record Faith(long scored, double deletionGain, double insertionGain, Double drop) {}

    /** Where noise ends for one statistic: below {@code low} or above {@code high} is beyond the quantile. */
    public record Limits(double low, double high) {}

    public DriftFigures withLimits(double q, Map<String, Limits> l) {
        return new DriftFigures(count, jsDivergence, centreShift, forbiddenMass, forbiddenChange, entropy, entropyChange, watchMass,
                topTokenRankChange, topTokens, q, l, faithfulness, tokenNdcg);
    }
}

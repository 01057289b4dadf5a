package io.spotlight.events;

import java.util.List;

/**
 * How a window's focus differs from the reference: Jensen-Shannon divergence of the mean grids
 * (base 2, so in [0, 1]), centre-of-mass shift (in image fractions), forbidden mass and its
 * change, entropy change, mass on watched tokens, and for text the mean rank change of the
 * reference's top tokens.
 */
public record DriftFigures(long count, double jsDivergence, double centreShift, double forbiddenMass, double forbiddenChange,
                           double entropy, double entropyChange, double watchMass, Double topTokenRankChange,
                           List<String> topTokens) {}

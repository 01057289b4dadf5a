package io.spotlight.focus;

import java.util.List;

/**
 * How a window's focus differs from the reference: Jensen-Shannon divergence of the mean grids
 * (base 2, so in [0, 1]), centre-of-mass shift (in image fractions), forbidden mass and its
 * change, entropy change, mass on watched tokens, and for text the mean rank change of the
 * reference's top tokens.
 */
public record DriftFigures(long count, double jsDivergence, double centreShift, double forbiddenMass, double forbiddenChange,
                           double entropy, double entropyChange, double watchMass, Double topTokenRankChange,
                           List<String> topTokens) {

    public static DriftFigures compare(FocusWindow w, FocusReference r) {
        double[] g = w.meanGrid();
        double cy = w.meanCentreY();
        double cx = w.meanCentreX();
        Double rank = null;
        List<String> ranked = w.rankedTokens();
        if (w.isText() && !r.topTokens().isEmpty()) {
            double total = 0;
            for (int i = 0; i < r.topTokens().size(); i++) {
                int at = ranked.indexOf(r.topTokens().get(i));
                total += Math.abs((at < 0 ? ranked.size() : at) - i);
            }
            rank = total / r.topTokens().size();
        }
        return new DriftFigures(w.count(), jensenShannon(g, r.grid()), Math.hypot(cy - r.centreY(), cx - r.centreX()),
                w.meanForbidden(), w.meanForbidden() - r.forbidden(), w.meanEntropy(), w.meanEntropy() - r.entropy(),
                w.meanWatch(), rank, ranked.subList(0, Math.min(FocusReference.TOP_TOKENS, ranked.size())));
    }

    /** JS divergence in bits of two distributions (renormalised). */
    public static double jensenShannon(double[] p, double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("grids differ in size: " + p.length + " vs " + q.length);
        }
        double sp = 0;
        double sq = 0;
        for (int i = 0; i < p.length; i++) {
            sp += p[i];
            sq += q[i];
        }
        double js = 0;
        for (int i = 0; i < p.length; i++) {
            double a = sp > 0 ? p[i] / sp : 0;
            double b = sq > 0 ? q[i] / sq : 0;
            double m = (a + b) / 2;
            if (a > 0) {
                js += 0.5 * a * Math.log(a / m);
            }
            if (b > 0) {
                js += 0.5 * b * Math.log(b / m);
            }
        }
        return Math.max(0, js / Math.log(2));
    }
}

package io.spotlight.focus;

/** Distances between focus distributions. */
public final class Divergence {

    private Divergence() {}

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

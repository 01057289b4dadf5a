package io.spotlight.numeric;

/**
 * Gauss-Legendre nodes and weights on [-1, 1] (what numpy's leggauss returns), by Newton's
 * iteration on the Legendre polynomial from the Chebyshev initial guesses; exact to double
 * rounding for the step counts integrated gradients uses.
 */
public final class GaussLegendre {

    private GaussLegendre() {}

    /** {nodes, weights}, nodes ascending. */
    public static double[][] rule(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Gauss-Legendre needs at least one node, got " + n);
        }
        double[] x = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < (n + 1) / 2; i++) {
            double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double dp = 0;
            for (int iter = 0; iter < 100; iter++) {
                double p0 = 1;
                double p1 = z;
                for (int k = 2; k <= n; k++) {
                    double p2 = ((2.0 * k - 1) * z * p1 - (k - 1.0) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                double pn = n == 1 ? z : p1;
                double pnm1 = n == 1 ? 1 : p0;
                dp = n * (z * pn - pnm1) / (z * z - 1);
                double dz = pn / dp;
                z -= dz;
                if (Math.abs(dz) < 1e-16) {
                    break;
                }
            }
            x[i] = -z;
            x[n - 1 - i] = z;
            w[i] = 2 / ((1 - z * z) * dp * dp);
            w[n - 1 - i] = w[i];
        }
        if (n % 2 == 1) {
            x[n / 2] = 0;
        }
        return new double[][] {x, w};
    }
}

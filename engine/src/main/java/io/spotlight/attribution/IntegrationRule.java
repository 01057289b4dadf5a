package io.spotlight.attribution;

import io.spotlight.events.Identified;
import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * How integrated gradients approximates its path integral: where along the path (alphas in
 * [0, 1]) the gradient is taken and with what weight (step sizes), exactly as Captum's
 * approximation_methods (including its trapezoid, whose weights are 1/n with halved ends).
 * Gauss-Legendre nodes and weights come from Hipparchus, which computes rules of up to 1000 points.
 */
public enum IntegrationRule implements Identified {
    RIEMANN_LEFT, RIEMANN_RIGHT, RIEMANN_MIDDLE, RIEMANN_TRAPEZOID, GAUSS_LEGENDRE;

    /** Points along the path and their weights. */
    public record Steps(float[] alphas, float[] weights) {
        public double weightSum() {
            double s = 0;
            for (float w : weights) {
                s += w;
            }
            return s;
        }
    }

    /** Hipparchus builds each rule from the lower ones and caches them all (thread-safe), so one factory serves every call. */
    private static final GaussIntegratorFactory GAUSS = new GaussIntegratorFactory();

    public int minimumSteps() {
        return this == GAUSS_LEGENDRE ? 1 : 2;
    }

    public int maximumSteps() {
        return this == GAUSS_LEGENDRE ? 1000 : 100_000;
    }

    public Steps steps(int n) {
        if (n < minimumSteps() || n > maximumSteps()) {
            throw new IllegalArgumentException(id() + " takes " + minimumSteps() + " to " + maximumSteps() + " steps, got " + n);
        }
        float[] alphas = new float[n];
        float[] weights = new float[n];
        if (this == GAUSS_LEGENDRE) {
            GaussIntegrator rule = GAUSS.legendre(n); // nodes ascending on [-1, 1], as numpy's leggauss
            for (int i = 0; i < n; i++) {
                alphas[i] = (float) (0.5 * (1 + rule.getPoint(i)));
                weights[i] = (float) (0.5 * rule.getWeight(i));
            }
            return new Steps(alphas, weights);
        }
        for (int i = 0; i < n; i++) {
            weights[i] = (float) (1.0 / n);
            alphas[i] = (float) switch (this) {
                case RIEMANN_LEFT -> linspace(0, 1 - 1.0 / n, n, i);
                case RIEMANN_RIGHT -> linspace(1.0 / n, 1, n, i);
                case RIEMANN_MIDDLE -> linspace(1.0 / (2 * n), 1 - 1.0 / (2 * n), n, i);
                default -> linspace(0, 1, n, i);
            };
        }
        if (this == RIEMANN_TRAPEZOID) {
            weights[0] = (float) (0.5 / n);
            weights[n - 1] = (float) (0.5 / n);
        }
        return new Steps(alphas, weights);
    }

    /** numpy.linspace's i-th value (the end point computed exactly, as numpy does). */
    private static double linspace(double start, double stop, int n, int i) {
        if (i == n - 1) {
            return stop;
        }
        return start + i * ((stop - start) / (n - 1));
    }
}

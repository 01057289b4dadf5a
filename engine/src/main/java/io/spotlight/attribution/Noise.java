package io.spotlight.attribution;

import java.util.SplittableRandom;

/**
 * Seeded random draws. SplittableRandom's generator (SplitMix64) is specified, and the transforms
 * use StrictMath, so the same seed gives the same floats on every JVM and machine; the draws are
 * made here rather than by the engine, whose generator is global and device-dependent.
 */
final class Noise {

    private Noise() {}

    /** A seed for one method's draws for one record, independent of the other methods' draws. */
    static long seedFor(long subjectSeed, Method method) {
        return subjectSeed ^ (0x9E3779B97F4A7C15L * (method.ordinal() + 1));
    }

    /**
     * n draws of N(0, sigma^2), by Marsaglia's polar method: one logarithm and one square root per
     * pair and no trigonometry, which keeps noise generation a small share of SmoothGrad's cost.
     */
    static float[] gaussian(long seed, int n, double sigma) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i += 2) {
            double u;
            double v;
            double s;
            do {
                u = 2 * random.nextDouble() - 1;
                v = 2 * random.nextDouble() - 1;
                s = u * u + v * v;
            } while (s >= 1 || s == 0);
            double f = StrictMath.sqrt(-2 * StrictMath.log(s) / s) * sigma;
            out[i] = (float) (u * f);
            if (i + 1 < n) {
                out[i + 1] = (float) (v * f);
            }
        }
        return out;
    }

    /** n draws of U(lo, hi). */
    static float[] uniform(long seed, int n, double lo, double hi) {
        float[] out = new float[n];
        uniform(seed, out, 0, n, lo, hi);
        return out;
    }

    /** n draws of U(lo, hi), written to out[from, from + n). */
    static void uniform(long seed, float[] out, int from, int n, double lo, double hi) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            out[from + i] = (float) (lo + (hi - lo) * random.nextDouble());
        }
    }

    /** The smallest and largest of some values: the span that input-relative noise is scaled to. */
    record Range(float min, float max) {
        /** max - min, in float. */
        float width() {
            return max - min;
        }
    }

    /** The range of x[from, from + count). */
    static Range range(float[] x, int from, int count) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int k = from; k < from + count; k++) {
            min = Math.min(min, x[k]);
            max = Math.max(max, x[k]);
        }
        return new Range(min, max);
    }
}

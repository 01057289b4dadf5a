package io.spotlight.testing;

import static org.assertj.core.api.Assertions.assertThat;

/** Closeness of float arrays, relative to the reference's scale. */
public final class Close {

    private Close() {}

    /** max |a - b| / max |b| (0 when both are all zero). */
    public static double relativeError(float[] actual, float[] expected) {
        assertThat(actual).as("length").hasSameSizeAs(expected);
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs((double) actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }

    public static void assertClose(String what, float[] actual, float[] expected, double tolerance) {
        double err = relativeError(actual, expected);
        assertThat(err).as("%s: relative error (max |diff| / max |reference|)", what).isLessThanOrEqualTo(tolerance);
    }
}

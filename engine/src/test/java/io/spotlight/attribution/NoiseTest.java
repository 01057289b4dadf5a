package io.spotlight.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NoiseTest {

    @Test
    void gaussianDrawsHaveTheRequestedSpreadAndRepeatForASeed() {
        float[] a = Noise.gaussian(7, 200_001, 0.5);
        assertThat(Noise.gaussian(7, 200_001, 0.5)).containsExactly(a);
        assertThat(Noise.gaussian(8, 10, 0.5)).isNotEqualTo(Arrays.copyOf(a, 10));
        double sum = 0;
        double sq = 0;
        int within1 = 0;
        for (float v : a) {
            sum += v;
            sq += v * v;
            if (Math.abs(v) < 0.5) {
                within1++;
            }
        }
        double mean = sum / a.length;
        assertThat(mean).isCloseTo(0, within(0.005));
        assertThat(Math.sqrt(sq / a.length - mean * mean)).isCloseTo(0.5, within(0.005));
        assertThat(within1 / (double) a.length).as("share within one sigma").isCloseTo(0.6827, within(0.005));
    }

    @Test
    void uniformDrawsStayInTheirRange() {
        for (float v : Noise.uniform(3, 10_000, -2, 5)) {
            assertThat(v).isBetween(-2f, 5f);
        }
    }

    @Test
    void eachMethodGetsItsOwnStream() {
        assertThat(Noise.seedFor(1, Method.SMOOTHGRAD)).isNotEqualTo(Noise.seedFor(1, Method.INTEGRATED_GRADIENTS));
    }
}

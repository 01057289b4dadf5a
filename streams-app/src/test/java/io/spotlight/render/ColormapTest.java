package io.spotlight.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The colour tables against matplotlib's colours at their ends and middle. */
class ColormapTest {

    @Test
    void viridisRunsFromDarkPurpleToYellow() {
        Colormap viridis = Colormap.named("viridis");
        assertThat(hex(viridis.rgb(0))).isEqualTo("440154");
        assertThat(hex(viridis.rgb(1))).isEqualTo("fde725");
    }

    @Test
    void jetStartsDarkBlue() {
        // matplotlib's jet starts at (0, 0, 0.5): 0x00007F in its 8-bit lookup table (which truncates),
        // #000080 by to_hex (which rounds, as the exported table does).
        assertNear(Colormap.named("jet").rgb(0), 0x00007F, 1);
    }

    @Test
    void hotEndsWhite() {
        assertThat(hex(Colormap.named("hot").rgb(1))).isEqualTo("ffffff");
    }

    @Test
    void rdYlGnIsLightYellowInTheMiddle() {
        assertNear(Colormap.named("RdYlGn").rgb(0.5), 0xFEFEBD, 2);
    }

    @Test
    void valuesOutsideTheUnitIntervalAreClamped() {
        Colormap hot = Colormap.named("hot");
        assertThat(hot.rgb(-3)).isEqualTo(hot.rgb(0));
        assertThat(hot.rgb(7)).isEqualTo(hot.rgb(1));
        assertThat(hot.rgb(Double.NaN)).isEqualTo(hot.rgb(0));
    }

    @Test
    void namesAreCaseInsensitive() {
        assertThat(Colormap.named("RdYlGn")).isSameAs(Colormap.named("rdylgn"));
    }

    @Test
    void anUnknownNameThrows() {
        assertThatThrownBy(() -> Colormap.named("no-such-map"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown colour map 'no-such-map'");
    }

    private static String hex(int rgb) {
        return String.format("%06x", rgb);
    }

    /** Each of the three channels within the tolerance of the expected colour's. */
    private static void assertNear(int actual, int expected, int tolerance) {
        for (int shift = 0; shift <= 16; shift += 8) {
            int a = (actual >> shift) & 0xFF;
            int e = (expected >> shift) & 0xFF;
            assertThat(Math.abs(a - e))
                    .as("channel at bit %d of %s against %s", shift, hex(actual), hex(expected))
                    .isLessThanOrEqualTo(tolerance);
        }
    }
}

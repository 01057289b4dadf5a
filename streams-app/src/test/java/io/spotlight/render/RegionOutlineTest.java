package io.spotlight.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.focus.Region;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** The card's regions drawn over the input: the edge of a box [top, left, bottom, right], nothing inside or outside it. */
class RegionOutlineTest {

    @Test
    void aBoxIsOutlinedWhereItsEdgesAre() {
        BufferedImage img = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
        Figures.outline(img, Region.box("corner", 0.5, 0.25, 1.0, 0.75), Figures.FORBIDDEN);
        int red = Figures.FORBIDDEN;
        assertThat(img.getRGB(20, 20) & 0xFFFFFF).as("top edge (row 20 = 0.5 of the height)").isEqualTo(red);
        assertThat(img.getRGB(10, 30) & 0xFFFFFF).as("left edge (column 10 = 0.25 of the width)").isEqualTo(red);
        assertThat(img.getRGB(29, 30) & 0xFFFFFF).as("right edge, last column inside").isEqualTo(red);
        assertThat(img.getRGB(20, 39) & 0xFFFFFF).as("bottom edge of the image").isEqualTo(red);
        assertThat(img.getRGB(20, 30) & 0xFFFFFF).as("inside").isZero();
        assertThat(img.getRGB(20, 10) & 0xFFFFFF).as("above the box").isZero();
        assertThat(img.getRGB(35, 30) & 0xFFFFFF).as("right of the box").isZero();
    }
}

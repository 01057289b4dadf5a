package io.spotlight.focus;

import io.spotlight.model.ModelCard.FocusSpec;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * An image region, in coordinates that are fractions of the image (0 top/left to 1 bottom/right),
 * tested at pixel centres: a box, a border band, or a mask image (white inside).
 */
public interface Region {

    String name();

    boolean contains(double y, double x);

    static Region box(String name, double top, double left, double bottom, double right) {
        return new Box(name, top, left, bottom, right);
    }

    static Region band(String name, double width) {
        return new Band(name, width);
    }

    /** From a card's definition; a mask path is relative to the card's directory. */
    static Region of(FocusSpec.Region spec, Path cardDirectory) {
        if (spec.box() != null) {
            double[] b = spec.box();
            if (b.length != 4) {
                throw new IllegalArgumentException("region " + spec.name() + ": box needs [top, left, bottom, right]");
            }
            return box(spec.name(), b[0], b[1], b[2], b[3]);
        }
        if (spec.band() != null) {
            return band(spec.name(), spec.band());
        }
        if (spec.mask() != null) {
            return Mask.load(spec.name(), cardDirectory.resolve(spec.mask()));
        }
        throw new IllegalArgumentException("region " + spec.name() + " has no box, band or mask");
    }

    record Box(String name, double top, double left, double bottom, double right) implements Region {
        @Override
        public boolean contains(double y, double x) {
            return y >= top && y < bottom && x >= left && x < right;
        }
    }

    record Band(String name, double width) implements Region {
        @Override
        public boolean contains(double y, double x) {
            return y < width || x < width || y >= 1 - width || x >= 1 - width;
        }
    }

    /** A mask image; any size, sampled at the nearest pixel. */
    record Mask(String name, boolean[] inside, int h, int w) implements Region {
        static Mask load(String name, Path file) {
            try {
                BufferedImage img = ImageIO.read(file.toFile());
                if (img == null) {
                    throw new IllegalArgumentException("mask " + file + " is not an image");
                }
                boolean[] in = new boolean[img.getWidth() * img.getHeight()];
                for (int y = 0; y < img.getHeight(); y++) {
                    for (int x = 0; x < img.getWidth(); x++) {
                        in[y * img.getWidth() + x] = (img.getRGB(x, y) & 0xFF) > 127;
                    }
                }
                return new Mask(name, in, img.getHeight(), img.getWidth());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read mask " + file, e);
            }
        }

        @Override
        public boolean contains(double y, double x) {
            int r = Math.min(h - 1, (int) (y * h));
            int c = Math.min(w - 1, (int) (x * w));
            return inside[r * w + c];
        }
    }
}

package io.spotlight.model;

import static io.spotlight.events.DeadLetter.Reason.BAD_ENCODING;
import static io.spotlight.events.DeadLetter.Reason.EMPTY_INPUT;
import static io.spotlight.events.DeadLetter.Reason.NON_FINITE;
import static io.spotlight.events.DeadLetter.Reason.OVERSIZED;
import static io.spotlight.events.DeadLetter.Reason.UNSUPPORTED_INPUT;
import static io.spotlight.events.DeadLetter.Reason.WRONG_SHAPE;

import io.spotlight.events.Input;
import io.spotlight.events.InvalidInputException;
import io.spotlight.model.ModelCard.Preprocessing;
import io.spotlight.numeric.Resize;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns the input of a prediction event into what the model consumes, checking it on the way:
 * tensors must have the card's shape (compared before anything is counted or allocated) and finite
 * values; images must be what they are declared to be and within a pixel budget, both read from
 * their header before a pixel is decoded (a decompression bomb never allocates), and are
 * preprocessed as the card says (grayscale, bilinear resize, scale, mean/std); text goes through
 * the tokenizer.
 */
public final class InputDecoder {

    /** 2048 x 2048: decoding takes about 20 bytes per pixel for a moment (the image, its planes and their resize). */
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 2048L * 2048L;

    /** With the default pixel budget. */
    public static final InputDecoder DEFAULT = new InputDecoder(DEFAULT_MAX_IMAGE_PIXELS);

    static {
        // Decoding reads from memory; no temporary files for ImageIO's stream cache.
        ImageIO.setUseCache(false);
    }

    private final long maxImagePixels;

    /** @param maxImagePixels images of more pixels (width x height, from the header) are refused as oversized */
    public InputDecoder(long maxImagePixels) {
        this.maxImagePixels = maxImagePixels;
    }

    public ModelInput decode(Input input, LoadedModel model) throws InvalidInputException {
        ModelCard card = model.card();
        if (input instanceof Input.Tensor t) {
            return tensor(t, card);
        }
        if (input instanceof Input.Image i) {
            return image(i, card, maxImagePixels);
        }
        if (input instanceof Input.Text t) {
            return text(t, card, model.tokenizer());
        }
        if (input instanceof Input.Uri u) {
            throw new InvalidInputException(UNSUPPORTED_INPUT,
                    "input by reference (" + u.uri() + ") is not fetched by this deployment; send the input inline");
        }
        throw new InvalidInputException(EMPTY_INPUT, "the event has no input");
    }

    static ModelInput.Dense tensor(Input.Tensor t, ModelCard card) throws InvalidInputException {
        if (card.input().isText()) {
            throw new InvalidInputException(WRONG_SHAPE, card.ref() + " takes text, not a tensor");
        }
        long[] expected = card.input().shapeArray();
        long[] declared = t.shape().stream().mapToLong(Integer::longValue).toArray();
        // Compared before anything is multiplied: a declared shape may be anything, even [2^31-1, 2^31-1, 2^31-1].
        if (!Arrays.equals(declared, expected)) {
            throw new InvalidInputException(WRONG_SHAPE, card.ref() + " takes shape " + Arrays.toString(expected)
                    + ", the tensor has " + t.shape());
        }
        byte[] bytes = base64(t.data());
        if (bytes.length == 0) {
            throw new InvalidInputException(EMPTY_INPUT, "the tensor has no data");
        }
        long count = Arrays.stream(expected).reduce(1, Math::multiplyExact);
        if (bytes.length != count * Float.BYTES) {
            throw new InvalidInputException(BAD_ENCODING, "shape " + t.shape() + " needs " + count * Float.BYTES
                    + " bytes of float32, the data has " + bytes.length);
        }
        float[] values = new float[(int) count];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new InvalidInputException(NON_FINITE, "tensor element " + i + " is " + values[i]);
            }
        }
        return new ModelInput.Dense(values, expected);
    }

    static ModelInput.Dense image(Input.Image i, ModelCard card, long maxPixels) throws InvalidInputException {
        if (!card.input().isImage()) {
            throw new InvalidInputException(WRONG_SHAPE, card.ref() + " takes " + card.input().kind() + ", not an image");
        }
        byte[] bytes = base64(i.data());
        if (bytes.length == 0) {
            throw new InvalidInputException(EMPTY_INPUT, "the image has no data");
        }
        return new ModelInput.Dense(preprocess(read(bytes, i.format(), maxPixels), card), card.input().shapeArray());
    }

    /**
     * Decodes an image after its header has said what it is and how large: the declared format and
     * the one found must agree, and width x height must be within the budget, or nothing is decoded.
     */
    static BufferedImage read(byte[] bytes, String declared, long maxPixels) throws InvalidInputException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InvalidInputException(BAD_ENCODING, "the data is not a readable " + declared + " image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                String found = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (!sameFormat(declared, found)) {
                    throw new InvalidInputException(BAD_ENCODING, "declared " + declared + ", but the data is a " + found + " image");
                }
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > maxPixels) {
                    throw new InvalidInputException(OVERSIZED, "image of " + width + "x" + height + " pixels, over the budget of " + maxPixels
                            + " (input.max-image-pixels); refused before decoding");
                }
                ImageTypeSpecifier raw = reader.getRawImageType(0);
                if (raw != null) {
                    requireGreyOrRgb(raw.getColorModel().getColorSpace());
                }
                BufferedImage img = reader.read(0);
                if (img == null) {
                    throw new InvalidInputException(BAD_ENCODING, "the data is not a readable " + declared + " image");
                }
                requireGreyOrRgb(img.getColorModel().getColorSpace());
                return img;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(BAD_ENCODING, "cannot decode the " + declared + " image: " + e.getMessage());
        }
    }

    /** Model cards preprocess grey or RGB pixels; a CMYK image (a print format) would be converted without its profile. */
    private static void requireGreyOrRgb(ColorSpace space) throws InvalidInputException {
        if (space.getType() != ColorSpace.TYPE_GRAY && space.getType() != ColorSpace.TYPE_RGB) {
            throw new InvalidInputException(UNSUPPORTED_INPUT, "an image in a " + (space.getType() == ColorSpace.TYPE_CMYK ? "CMYK" : "non-RGB")
                    + " colour space; send grey or RGB pixels");
        }
    }

    private static boolean sameFormat(String declared, String found) {
        String d = declared == null ? "" : declared.toLowerCase(Locale.ROOT);
        return d.equals(found) || (d.equals("jpeg") || d.equals("jpg")) && (found.equals("jpeg") || found.equals("jpg"));
    }

    /** The card's preprocessing of an image into a [C, H, W] float tensor. */
    public static float[] preprocess(BufferedImage img, ModelCard card) throws InvalidInputException {
        List<Integer> shape = card.input().shape();
        if (shape.size() != 3 || (shape.get(0) != 1 && shape.get(0) != 3)) {
            throw new InvalidInputException(WRONG_SHAPE, card.ref() + " input shape " + shape + " is not [1|3, H, W]");
        }
        int channels = shape.get(0);
        int h = shape.get(1);
        int w = shape.get(2);
        float[][] planes = channels == 1 ? new float[][] {luminance(img)} : rgb(img);
        Preprocessing p = card.input().preprocessing();
        double scale = p == null || p.scale() == null ? 255.0 : p.scale();
        float[] out = new float[channels * h * w];
        for (int c = 0; c < channels; c++) {
            float[] plane = Resize.bilinear(planes[c], img.getHeight(), img.getWidth(), h, w);
            double mean = p == null || p.mean() == null ? 0.0 : p.mean().get(Math.min(c, p.mean().size() - 1));
            double std = p == null || p.std() == null ? 1.0 : p.std().get(Math.min(c, p.std().size() - 1));
            for (int k = 0; k < h * w; k++) {
                out[c * h * w + k] = (float) ((plane[k] / scale - mean) / std);
            }
        }
        return out;
    }

    /** Grey levels: raw samples for single-band images (no colour-space conversion), ITU-R 601-2 luma otherwise. */
    private static float[] luminance(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[] out = new float[w * h];
        Raster r = img.getRaster();
        if (r.getNumBands() == 1 && !(img.getColorModel() instanceof IndexColorModel)) {
            int bits = img.getColorModel().getComponentSize(0);
            double toByte = bits == 8 ? 1.0 : 255.0 / ((1 << bits) - 1);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (float) Math.rint(r.getSample(x, y, 0) * toByte);
                }
            }
            return out;
        }
        float[][] rgb = rgb(img);
        for (int k = 0; k < out.length; k++) {
            out[k] = (float) Math.rint((rgb[0][k] * 299 + rgb[1][k] * 587 + rgb[2][k] * 114) / 1000.0);
        }
        return out;
    }

    private static float[][] rgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[][] out = new float[3][w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = img.getRGB(x, y);
                out[0][y * w + x] = (argb >> 16) & 0xFF;
                out[1][y * w + x] = (argb >> 8) & 0xFF;
                out[2][y * w + x] = argb & 0xFF;
            }
        }
        return out;
    }

    static ModelInput.Tokens text(Input.Text t, ModelCard card, Tokenizer tokenizer) throws InvalidInputException {
        if (!card.input().isText()) {
            throw new InvalidInputException(WRONG_SHAPE, card.ref() + " takes " + card.input().kind() + ", not text");
        }
        if (t.text() == null || t.text().isBlank()) {
            throw new InvalidInputException(EMPTY_INPUT, "the text is empty");
        }
        return new ModelInput.Tokens(tokenizer.encode(t.text()));
    }

    private static byte[] base64(String data) throws InvalidInputException {
        try {
            return Base64.getDecoder().decode(data == null ? "" : data);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(BAD_ENCODING, "data is not base64: " + e.getMessage());
        }
    }
}

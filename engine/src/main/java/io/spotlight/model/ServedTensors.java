package io.spotlight.model;

import static io.spotlight.events.DeadLetter.Reason.BAD_ENCODING;
import static io.spotlight.events.DeadLetter.Reason.MISSING_TENSOR;
import static io.spotlight.events.DeadLetter.Reason.NON_FINITE;
import static io.spotlight.events.DeadLetter.Reason.SHAPE_MISMATCH;
import static io.spotlight.events.DeadLetter.Reason.UNSUPPORTED_INPUT;
import static io.spotlight.events.DeadLetter.Reason.WRONG_SHAPE;

import io.spotlight.events.Input;
import io.spotlight.events.InvalidInputException;
import io.spotlight.numeric.Softmax;
import io.spotlight.oip.Datatype;
import io.spotlight.oip.InferTensor;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A model server's tensors (Open Inference Protocol) as what the model card describes: the input
 * tensor of one prediction as Spotlight's {@link Input}, and the output as class probabilities.
 * <ul>
 * <li>A tensor is one prediction in the card's shape, or a batch of them with a leading batch
 * dimension.</li>
 * <li>Floating-point and integer tensors (FP16/32/64, INT*, UINT16-64, BOOL) are the model-ready
 * input, as Spotlight's own tensor input is.</li>
 * <li>UINT8 tensors for image models are pixels, [C,H,W], [H,W,C] or (one channel) [H,W], and get
 * the card's preprocessing as a PNG of the same pixels would.</li>
 * <li>BYTES elements are one prediction each: UTF-8 text for text models, a PNG or JPEG file for
 * image models.</li>
 * <li>Outputs are the scores of every class, [classes] or [batch, classes]: logits (the softmax
 * makes them probabilities) or probabilities, as the card's output.scores says.</li>
 * </ul>
 */
public final class ServedTensors {

    private ServedTensors() {}

    /** The tensor the card names, or the only one where it names none. */
    public static InferTensor pick(List<InferTensor> tensors, String name, String what, ModelCard card) throws InvalidInputException {
        if (name != null) {
            for (InferTensor t : tensors) {
                if (name.equals(t.name())) {
                    return t;
                }
            }
            throw new InvalidInputException(MISSING_TENSOR, "no " + what + " named '" + name + "' (the card's " + what + ".name) among "
                    + names(tensors));
        }
        if (tensors.size() != 1) {
            throw new InvalidInputException(MISSING_TENSOR, tensors.isEmpty() ? "the message has no " + what + " tensor"
                    : tensors.size() + " " + what + " tensors " + names(tensors) + ": name the one to read in " + card.ref()
                    + "'s card (" + what + ".name)");
        }
        return tensors.get(0);
    }

    /** How many predictions an input tensor holds. */
    public static int rows(InferTensor t, ModelCard card) throws InvalidInputException {
        if (t.datatype() == Datatype.BYTES) {
            return t.count();
        }
        if (card.input().isText()) {
            throw new InvalidInputException(UNSUPPORTED_INPUT, card.ref() + " takes text: a BYTES tensor of UTF-8 strings; input '"
                    + t.name() + "' is " + t.datatype());
        }
        for (int[] layout : layouts(t, card)) {
            int extra = t.shape().length - layout.length;
            if ((extra == 0 || extra == 1) && endsWith(t.shape(), layout)) {
                return extra == 0 ? 1 : Math.toIntExact(t.shape()[0]);
            }
        }
        throw new InvalidInputException(WRONG_SHAPE, card.ref() + " takes " + card.input().shape()
                + (pixels(t, card) ? " pixels as [C,H,W], [H,W,C] or [H,W]" : "")
                + ", with or without a leading batch dimension; input '" + t.name() + "' has " + Arrays.toString(t.shape()));
    }

    /** Prediction {@code row} of {@code rows} as the model input Spotlight's events carry. */
    public static Input input(InferTensor t, int row, int rows, ModelCard card) throws InvalidInputException {
        if (t.datatype() == Datatype.BYTES) {
            byte[] element = t.byteElements().get(row);
            return card.input().isText() ? new Input.Text(utf8(element, t.name())) : image(element, t.name(), card);
        }
        int per = t.count() / rows;
        if (pixels(t, card)) {
            return pixelImage(t, row * per, card);
        }
        float[] values = new float[per];
        if (t.datatype() == Datatype.FP32) {
            t.buffer().position(row * per * Float.BYTES).slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        } else {
            double[] d = t.values(row * per, per);
            for (int i = 0; i < per; i++) {
                values[i] = (float) d[i];
            }
        }
        return new Input.Tensor("float32", card.input().shape(), null, Base64.getEncoder().encodeToString(littleEndian(values)));
    }

    /** The class probabilities of prediction {@code row} of {@code rows}. */
    public static double[] probabilities(InferTensor t, int row, int rows, ModelCard card) throws InvalidInputException {
        if (!t.datatype().isFloat()) {
            throw new InvalidInputException(UNSUPPORTED_INPUT, "output '" + t.name() + "' is " + t.datatype()
                    + ": Spotlight needs every class's score (logits or probabilities, FP16/FP32/FP64), not class labels");
        }
        int classes = card.numClasses();
        long[] s = t.shape();
        if (s.length == 0 || s[s.length - 1] != classes) {
            throw new InvalidInputException(WRONG_SHAPE, "output '" + t.name() + "' has shape " + Arrays.toString(s) + "; "
                    + card.ref() + " has " + classes + " classes, so its scores are [" + classes + "] or [batch, " + classes + "]");
        }
        if (t.count() / classes != rows) {
            throw new InvalidInputException(SHAPE_MISMATCH, "the response's output '" + t.name() + "' " + Arrays.toString(s) + " holds "
                    + t.count() / classes + " predictions, the request's input " + rows);
        }
        double[] scores = t.values(row * classes, classes);
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new InvalidInputException(NON_FINITE, "output '" + t.name() + "' score " + i + " of prediction " + row + " is " + scores[i]);
            }
        }
        return card.outputSpec().servesLogits() ? Softmax.of(scores) : scores;
    }

    private static boolean pixels(InferTensor t, ModelCard card) {
        return t.datatype() == Datatype.UINT8 && card.input().isImage();
    }

    /** The shapes one prediction may have: the card's, and for pixels also channels-last and (one channel) [H,W]. */
    private static List<int[]> layouts(InferTensor t, ModelCard card) {
        int[] chw = card.input().shape().stream().mapToInt(Integer::intValue).toArray();
        List<int[]> out = new ArrayList<>(List.of(chw));
        if (pixels(t, card) && chw.length == 3) {
            out.add(new int[] {chw[1], chw[2], chw[0]});
            if (chw[0] == 1) {
                out.add(new int[] {chw[1], chw[2]});
            }
        }
        return out;
    }

    private static boolean endsWith(long[] shape, int[] tail) {
        for (int i = 1; i <= tail.length; i++) {
            if (shape[shape.length - i] != tail[tail.length - i]) {
                return false;
            }
        }
        return true;
    }

    /** Pixels to an image, preprocessed by the card exactly as an encoded image of the same pixels would be. */
    private static Input pixelImage(InferTensor t, int offset, ModelCard card) throws InvalidInputException {
        List<Integer> chw = card.input().shape();
        int c = chw.get(0);
        int h = chw.get(1);
        int w = chw.get(2);
        long[] s = t.shape();
        boolean channelsLast = s.length >= 3 && s[s.length - 1] == c && s[s.length - 2] == w && s[s.length - 3] == h
                && !(s[s.length - 3] == c && s[s.length - 2] == h && s[s.length - 1] == w);
        byte[] raw = t.raw();
        BufferedImage img = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (c == 1) {
                    img.getRaster().setSample(x, y, 0, raw[offset + y * w + x] & 0xFF);
                } else {
                    int rgb = 0;
                    for (int k = 0; k < 3; k++) {
                        int at = channelsLast ? (y * w + x) * c + k : k * h * w + y * w + x;
                        rgb = (rgb << 8) | (raw[offset + at] & 0xFF);
                    }
                    img.setRGB(x, y, rgb);
                }
            }
        }
        float[] values = InputDecoder.preprocess(img, card);
        return new Input.Tensor("float32", chw, null, Base64.getEncoder().encodeToString(littleEndian(values)));
    }

    private static Input image(byte[] file, String name, ModelCard card) throws InvalidInputException {
        if (!card.input().isImage()) {
            throw new InvalidInputException(UNSUPPORTED_INPUT, card.ref() + " takes " + card.input().shape()
                    + " tensors, not the BYTES of input '" + name + "'");
        }
        String format = file.length > 3 && (file[0] & 0xFF) == 0x89 && file[1] == 'P' && file[2] == 'N' && file[3] == 'G' ? "png"
                : file.length > 2 && (file[0] & 0xFF) == 0xFF && (file[1] & 0xFF) == 0xD8 ? "jpeg" : null;
        if (format == null) {
            throw new InvalidInputException(BAD_ENCODING, "input '" + name + "' of " + card.ref() + " (an image model) is neither a PNG nor a JPEG file");
        }
        return new Input.Image(format, Base64.getEncoder().encodeToString(file));
    }

    private static String utf8(byte[] element, String name) throws InvalidInputException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(element)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(BAD_ENCODING, "input '" + name + "' is not UTF-8 text");
        }
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    private static String names(List<InferTensor> tensors) {
        return tensors.stream().map(t -> "'" + t.name() + "'").toList().toString();
    }
}

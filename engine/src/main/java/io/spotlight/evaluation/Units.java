package io.spotlight.evaluation;

import io.spotlight.attribution.Tensor;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelInput;
import io.spotlight.numeric.GaussianBlur;
import java.util.Arrays;

/**
 * A record's input as the units a curve removes in attribution order: the pixels of an image (all
 * its channels at once; the map of an image method is height x width), or the words of a text (the
 * positions between [CLS] and [SEP]; the map has a value per token).
 */
abstract sealed class Units {

    /** How many units there are. */
    abstract int count();

    /** Each unit's attribution, from a map of the record. */
    abstract float[] attributions(Tensor map);

    /** Adds the input with the marked units removed to the rows; returns the row's index. */
    abstract int add(Rows rows, boolean[] removed, int target);

    /** The units of a record's input, with their removed values (a blurred image, or the removal token). */
    static Units of(LoadedModel model, ModelInput input, Removal removal, int blurKernel, double blurSigma) {
        if (input instanceof ModelInput.Tokens t) {
            int id = removal == Removal.PAD ? model.tokenizer().padId() : model.tokenizer().unknownId();
            return new Words(t.encoding().ids(), Math.max(0, t.encoding().length() - 2), id);
        }
        ModelInput.Dense d = (ModelInput.Dense) input;
        long[] s = d.shape();
        int channels = (int) s[0];
        int h = (int) s[1];
        int w = (int) s[2];
        return new Pixels(d.values(), GaussianBlur.blur(d.values(), channels, h, w, blurKernel, blurSigma), h * w);
    }

    /** An image's pixels; removed, a pixel takes the blurred image's values in every channel. */
    static final class Pixels extends Units {
        private final float[] input;
        private final float[] removedValues;
        private final int plane;

        Pixels(float[] input, float[] removedValues, int plane) {
            this.input = input;
            this.removedValues = removedValues;
            this.plane = plane;
        }

        @Override
        int count() {
            return plane;
        }

        @Override
        float[] attributions(Tensor map) {
            if (map.values().length != plane) {
                throw new IllegalArgumentException("a map of " + map.values().length + " values for an image of " + plane + " pixels");
            }
            return map.values();
        }

        @Override
        int add(Rows rows, boolean[] removed, int target) {
            float[] row = input.clone();
            for (int k = 0; k < row.length; k++) {
                if (removed[k % plane]) {
                    row[k] = removedValues[k];
                }
            }
            return rows.add(row, target);
        }
    }

    /** A text's words (token positions 1 .. length - 2); removed, a word becomes the removal token. */
    static final class Words extends Units {
        private final long[] ids;
        private final int words;
        private final long removalId;

        Words(long[] ids, int words, long removalId) {
            this.ids = ids;
            this.words = words;
            this.removalId = removalId;
        }

        @Override
        int count() {
            return words;
        }

        @Override
        float[] attributions(Tensor map) {
            if (map.values().length < words + 1) {
                throw new IllegalArgumentException("a map of " + map.values().length + " values for a text of " + words + " words");
            }
            return Arrays.copyOfRange(map.values(), 1, words + 1);
        }

        @Override
        int add(Rows rows, boolean[] removed, int target) {
            long[] row = ids.clone();
            for (int u = 0; u < words; u++) {
                if (removed[u]) {
                    row[u + 1] = removalId;
                }
            }
            return rows.add(row, target);
        }
    }
}

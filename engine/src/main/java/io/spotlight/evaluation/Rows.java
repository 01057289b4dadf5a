package io.spotlight.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.spotlight.model.Autograd;
import io.spotlight.model.LoadedModel;
import io.spotlight.numeric.Softmax;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Model inputs built row by row in Java (an image's values, or a text's token ids), each with the
 * class whose probability is wanted, then sent forward without gradients in passes of exactly
 * {@code chunk} rows: a short last pass is filled with copies of its first row, so that a row's
 * probability does not depend on how many rows shared its passes (libtorch picks its kernels'
 * blocking by batch size) and replays reproduce it bit for bit.
 */
final class Rows {

    private final long[] rowShape;
    private final List<float[]> values = new ArrayList<>();
    private final List<long[]> ids = new ArrayList<>();
    private final List<Integer> targets = new ArrayList<>();

    /** Rows of one model's input shape ([C, H, W] values, or [T] token ids). */
    Rows(long[] rowShape) {
        this.rowShape = rowShape.clone();
    }

    /** Adds a row of input values; returns its index. */
    int add(float[] row, int target) {
        values.add(row);
        targets.add(target);
        return targets.size() - 1;
    }

    /** Adds a row of token ids; returns its index. */
    int add(long[] row, int target) {
        ids.add(row);
        targets.add(target);
        return targets.size() - 1;
    }

    int size() {
        return targets.size();
    }

    /** Softmax probability of each row's target class, in row order. */
    double[] targetProbabilities(LoadedModel model, int chunk) {
        double[] out = new double[size()];
        try (NDManager manager = model.newManager()) {
            Autograd.disable();
            try {
                for (int from = 0; from < size(); from += chunk) {
                    int to = Math.min(size(), from + chunk);
                    NDArray logits = model.logits(model.call(null, pass(manager, from, to, chunk)));
                    int classes = (int) logits.getShape().get(1);
                    float[] all = logits.toFloatArray();
                    for (int r = from; r < to; r++) {
                        double[] row = new double[classes];
                        for (int c = 0; c < classes; c++) {
                            row[c] = all[(r - from) * classes + c];
                        }
                        out[r] = Softmax.of(row)[targets.get(r)];
                    }
                }
            } finally {
                Autograd.enable();
            }
        }
        return out;
    }

    /** Rows [from, to) and copies of row {@code from} up to {@code chunk} rows, as one array. */
    private NDArray pass(NDManager manager, int from, int to, int chunk) {
        Shape shape = new Shape(chunk).addAll(new Shape(rowShape));
        int per = Math.toIntExact(new Shape(rowShape).size());
        if (values.isEmpty()) {
            long[] data = new long[chunk * per];
            for (int r = 0; r < chunk; r++) {
                System.arraycopy(ids.get(r < to - from ? from + r : from), 0, data, r * per, per);
            }
            return manager.create(data, shape);
        }
        float[] data = new float[chunk * per];
        for (int r = 0; r < chunk; r++) {
            System.arraycopy(values.get(r < to - from ? from + r : from), 0, data, r * per, per);
        }
        return manager.create(data, shape);
    }

    @Override
    public String toString() {
        return size() + " rows of " + Arrays.toString(rowShape);
    }
}

package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.spotlight.model.Autograd;

/**
 * The shared core of every gradient method: d logit[target_r] / d point_r for many rows at once,
 * sent through the model in passes of exactly {@code chunk} rows. Each row's gradient only depends
 * on that row (no batch statistics in the models), so one backward of the one-hot seed gives every
 * row's gradient. libtorch picks its kernels' blocking by batch size, which changes the last bits
 * of the results; a short last pass is therefore padded with zero rows, so a record's numbers never
 * depend on how many records shared its batch and replays reproduce them bit for bit.
 */
final class GradientCore {

    /** Gradients [rows, ...] and, when asked for, the differentiated logits [rows] (else null). */
    record Gradients(NDArray gradients, NDArray targetLogits) {}

    private GradientCore() {}

    /** The gradients, and with {@code withLogits} also the target logits (only integrated gradients reads them). */
    static Gradients of(Differentiable f, NDArray points, NDArray aux, int[] targets, int chunk, boolean withLogits) {
        long rows = points.getShape().get(0);
        if (targets.length != rows) {
            throw new IllegalArgumentException(targets.length + " targets for " + rows + " rows");
        }
        Autograd.enable();
        NDList grads = new NDList();
        NDList logits = new NDList();
        for (int from = 0; from < rows; from += chunk) {
            int to = (int) Math.min(rows, (long) from + chunk);
            // Points hold no graph (they are built from data), so each pass is a leaf to differentiate at.
            NDArray x = pad(rows == to - from ? points : points.get(from + ":" + to), chunk);
            x.setRequiresGradient(true);
            NDArray a = aux == null ? null : pad(rows == to - from ? aux : aux.get(from + ":" + to), chunk);
            NDArray out = f.logits(x, a);
            NDArray seed = oneHot(x, targets, from, to, chunk, out.getShape().get(1));
            Autograd.backward(out, seed);
            NDArray g = x.getGradient();
            grads.add(to - from == chunk ? g : g.get("0:" + (to - from)));
            if (withLogits) {
                NDArray l = out.stopGradient().mul(seed).sum(new int[] {1});
                logits.add(to - from == chunk ? l : l.get("0:" + (to - from)));
            }
        }
        return new Gradients(concat(grads), withLogits ? concat(logits) : null);
    }

    /** Rows [from, to) of the one-hot seed of the targets, as a [passRows, classes] array (padding rows zero). */
    static NDArray oneHot(NDArray like, int[] targets, int from, int to, int passRows, long classes) {
        float[] seed = new float[Math.toIntExact(passRows * classes)];
        for (int r = from; r < to; r++) {
            if (targets[r] < 0 || targets[r] >= classes) {
                throw new IllegalArgumentException("target class " + targets[r] + " outside [0, " + classes + ")");
            }
            seed[(int) ((r - from) * classes + targets[r])] = 1f;
        }
        return like.getManager().create(seed, new Shape(passRows, classes));
    }

    /** The array with rows appended (copies of its first row) up to {@code rows}. */
    static NDArray pad(NDArray a, int rows) {
        long have = a.getShape().get(0);
        if (have == rows) {
            return a;
        }
        return NDArrays.concat(new NDList(a, a.get("0:1").repeat(0, rows - have)));
    }

    static NDArray concat(NDList parts) {
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts);
    }

    /** Repeats each target n times: the targets of R subjects x n rows each. */
    static int[] repeat(int[] targets, int n) {
        int[] out = new int[targets.length * n];
        for (int i = 0; i < out.length; i++) {
            out[i] = targets[i / n];
        }
        return out;
    }
}

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
 * of the results; a short last pass is therefore padded to {@code chunk} rows with copies of its
 * first row (and their results dropped), so a record's numbers never depend on how many records
 * shared its batch and replays reproduce them bit for bit. {@link #passRows} and {@link #unpad}
 * are that padding for every method that runs the model in passes.
 */
final class GradientCore {

    /** Gradients [rows, ...] and, when asked for, the differentiated logits [rows] (else null). */
    record Gradients(NDArray gradients, NDArray targetLogits) {}

    /** One pass's gradients [chunk, ...] and, when asked for, its target logits [chunk] (else null). */
    record Pass(NDArray gradients, NDArray targetLogits) {}

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
            Pass p = pass(f, passRows(points, from, to, chunk), passRows(aux, from, to, chunk), targets, from, to, chunk, withLogits);
            grads.add(unpad(p.gradients(), to - from));
            if (withLogits) {
                logits.add(unpad(p.targetLogits(), to - from));
            }
        }
        return new Gradients(concat(grads), withLogits ? concat(logits) : null);
    }

    /**
     * One forward and backward pass over {@code chunk} rows x (aux: their auxiliary rows, or null)
     * whose first {@code to - from} rows are rows [from, to) of the targets. x must hold no graph
     * (points are built from data): it is the leaf the gradient is taken at.
     */
    static Pass pass(Differentiable f, NDArray x, NDArray aux, int[] targets, int from, int to, int chunk, boolean withLogits) {
        x.setRequiresGradient(true);
        NDArray out = f.logits(x, aux);
        NDArray seed = oneHot(x, targets, from, to, chunk, out.getShape().get(1));
        Autograd.backward(out, seed);
        return new Pass(x.getGradient(), withLogits ? out.stopGradient().mul(seed).sum(new int[] {1}) : null);
    }

    /**
     * Rows [from, to) of a batch (null for null), padded to a pass of {@code chunk} rows: the batch
     * itself when it is exactly that pass.
     */
    static NDArray passRows(NDArray batch, int from, int to, int chunk) {
        if (batch == null) {
            return null;
        }
        return pad(batch.getShape().get(0) == to - from ? batch : batch.get(from + ":" + to), chunk);
    }

    /** The first {@code real} rows of a pass's result: what {@link #passRows} padding added is dropped. */
    static NDArray unpad(NDArray pass, int real) {
        return pass.getShape().get(0) == real ? pass : pass.get("0:" + real);
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

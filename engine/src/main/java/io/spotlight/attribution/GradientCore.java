package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.spotlight.model.Autograd;
import java.util.Arrays;
import java.util.List;

/**
 * The shared core of every gradient method: d logit[target_r] / d point_r for many rows at once,
 * sent through the model in the passes of a {@link PassSchedule}. Each row's gradient only depends
 * on that row and on the shape of its pass (no batch statistics in the models; libtorch blocks its
 * kernels by batch size), so one backward of the one-hot seed gives every row's gradient, and a
 * row run again in a pass of the same shape gets the same bits.
 */
final class GradientCore {

    /** Gradients [rows, ...] and, when asked for, the differentiated logits [rows] (else null). */
    record Gradients(NDArray gradients, NDArray targetLogits) {}

    private GradientCore() {}

    /** The gradients, and with {@code withLogits} also the target logits (only integrated gradients reads them). */
    static Gradients of(Differentiable f, NDArray points, NDArray aux, int[] targets, PassSchedule schedule, boolean withLogits) {
        long rows = points.getShape().get(0);
        if (targets.length != rows || schedule.rows() != rows) {
            throw new IllegalArgumentException(targets.length + " targets and " + schedule.rows() + " scheduled rows for " + rows + " rows");
        }
        Autograd.enable();
        List<NDArray> out = schedule.run(Arrays.asList(points, aux), (in, pass) -> {
            Gradients g = pass(f, in.get(0), in.get(1), targets, pass, withLogits);
            return Arrays.asList(g.gradients(), g.targetLogits());
        });
        return new Gradients(out.get(0), out.get(1));
    }

    /**
     * One forward and backward pass over x, a pass's rows (aux: their auxiliary rows, or null). x
     * must hold no graph (points are built from data): it is the leaf the gradient is taken at.
     */
    static Gradients pass(Differentiable f, NDArray x, NDArray aux, int[] targets, PassSchedule.Pass pass, boolean withLogits) {
        x.setRequiresGradient(true);
        NDArray out = f.logits(x, aux);
        NDArray seed = oneHot(x, targets, pass, out.getShape().get(1));
        Autograd.backward(out, seed);
        return new Gradients(x.getGradient(), withLogits ? out.stopGradient().mul(seed).sum(new int[] {1}) : null);
    }

    /** The one-hot seed of a pass's rows' targets, [shape, classes] (padding rows zero). */
    static NDArray oneHot(NDArray like, int[] targets, PassSchedule.Pass pass, long classes) {
        float[] seed = new float[Math.toIntExact(pass.shape() * classes)];
        int[] rows = pass.rows();
        for (int i = 0; i < rows.length; i++) {
            int t = targets[rows[i]];
            if (t < 0 || t >= classes) {
                throw new IllegalArgumentException("target class " + t + " outside [0, " + classes + ")");
            }
            seed[(int) (i * classes + t)] = 1f;
        }
        return like.getManager().create(seed, new Shape(pass.shape(), classes));
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

package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.spotlight.model.Autograd;
import io.spotlight.model.LoadedModel;
import java.util.List;

/**
 * The floor of a method's cost: the same forward(+backward) passes it makes, timed alone — same
 * pass shape and count, nothing else (no path building, reductions, transfers or bookkeeping).
 * What a benchmark divides by. Each pass gets its own rows (the template records, slightly
 * perturbed and prepared before the clock starts), as the method's passes do: identical rows
 * would run faster than real data.
 */
public final class Floor {

    private Floor() {}

    /**
     * Rows a method sends through the model for one record with its default parameters: the path
     * steps plus F(x) and F(x') for integrated gradients, the noisy copies for SmoothGrad, else one.
     */
    public static int rowsPerRecord(Method method) {
        return switch (method) {
            case INTEGRATED_GRADIENTS -> IntegratedGradients.DEFAULT_STEPS + 2;
            case LAYER_INTEGRATED_GRADIENTS -> LayerIntegratedGradients.DEFAULT_STEPS + 2;
            case SMOOTHGRAD -> SmoothGrad.DEFAULT_SAMPLES;
            default -> 1;
        };
    }

    /** Milliseconds of {@code passes} passes of {@code chunk} rows of the method's core computation. */
    public static double passesMillis(LoadedModel model, Method method, List<Subject> template, int passes, int chunk) {
        try (NDManager manager = model.newManager()) {
            Differentiable f = Differentiable.of(model);
            Differentiable.Points p = f.points(manager, template);
            int[] targets = new int[chunk];
            NDList inputs = new NDList(passes);
            NDList auxes = new NDList(passes);
            for (int i = 0; i < passes; i++) {
                NDArray rows = p.points().repeat(0, (chunk + template.size() - 1) / template.size()).get("0:" + chunk);
                inputs.add(rows.add(manager.randomNormal(rows.getShape()).mul(0.05f)));
                if (p.aux() != null) {
                    auxes.add(p.aux().repeat(0, (chunk + template.size() - 1) / template.size()).get("0:" + chunk));
                }
            }
            long start = System.nanoTime();
            for (int i = 0; i < passes; i++) {
                NDArray rows = inputs.get(i);
                NDArray aux = p.aux() == null ? null : auxes.get(i);
                switch (method) {
                    case ATTENTION, ATTENTION_ROLLOUT -> {
                        Autograd.disable();
                        NDArray in = aux != null ? aux : rows;
                        model.attentions(model.call(null, in)).toFloatArray();
                        Autograd.enable();
                    }
                    case GRAD_CAM, GRAD_CAM_PLUS_PLUS -> {
                        Autograd.enable();
                        BaseCam.pass(model, rows, targets, 0, chunk, chunk).getGradient().toFloatArray();
                    }
                    default -> {
                        Autograd.enable();
                        GradientCore.pass(f, rows, aux, targets, 0, chunk, chunk, false).gradients().toFloatArray();
                    }
                }
            }
            return (System.nanoTime() - start) / 1e6;
        }
    }
}

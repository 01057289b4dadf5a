package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.spotlight.model.Autograd;
import io.spotlight.model.LoadedModel;
import java.util.List;

/**
 * The bare forward(+backward) passes a method makes: same pass shape and count, nothing else (no
 * path building, reductions, transfers or bookkeeping) — the floor of its cost, which the benchmark
 * times. Each pass gets its own rows (the template records, slightly perturbed and prepared before
 * the passes run), as the method's passes do: identical rows would run faster than real data.
 */
public final class BarePasses {

    private BarePasses() {}

    /** Rows a method sends through the model for one record of the call, its parameters resolved for the model. */
    public static int rowsPerRecord(LoadedModel model, MethodCall call) {
        return call.method().implementation().rowsPerRecord(new Explainer().resolve(model, call));
    }

    /**
     * Milliseconds the passes take that {@code rows} rows make in passes of {@code chunk} rows (rows
     * prepared before the clock starts): each row distinct (the template records, slightly
     * perturbed), a short last pass padded the way the methods pad it, so a lone record's floor runs
     * what its method runs.
     */
    public static double millis(LoadedModel model, Method method, List<Subject> template, int rows, int chunk) {
        try (NDManager manager = model.newManager()) {
            Differentiable f = Differentiable.of(model);
            Differentiable.Points p = f.points(manager, template);
            int copies = (rows + template.size() - 1) / template.size();
            NDArray all = p.points().repeat(0, copies).get("0:" + rows);
            all = all.add(manager.randomNormal(all.getShape()).mul(0.05f));
            NDArray allAux = p.aux() == null ? null : p.aux().repeat(0, copies).get("0:" + rows);
            int[] targets = new int[rows];
            NDList inputs = new NDList();
            NDList auxes = new NDList();
            for (int from = 0; from < rows; from += chunk) {
                int to = Math.min(rows, from + chunk);
                inputs.add(GradientCore.passRows(all, from, to, chunk));
                auxes.add(allAux == null ? null : GradientCore.passRows(allAux, from, to, chunk));
            }
            long start = System.nanoTime();
            for (int i = 0; i < inputs.size(); i++) {
                int from = i * chunk;
                int to = Math.min(rows, from + chunk);
                NDArray x = inputs.get(i);
                NDArray aux = auxes.get(i);
                switch (method) {
                    case ATTENTION, ATTENTION_ROLLOUT -> {
                        Autograd.disable();
                        model.attentions(model.call(null, aux != null ? aux : x)).toFloatArray();
                        Autograd.enable();
                    }
                    case GRAD_CAM, GRAD_CAM_PLUS_PLUS -> {
                        Autograd.enable();
                        BaseCam.pass(model, x, targets, from, to, chunk).getGradient().toFloatArray();
                    }
                    default -> {
                        Autograd.enable();
                        GradientCore.pass(f, x, aux, targets, from, to, chunk, false).gradients().toFloatArray();
                    }
                }
            }
            return (System.nanoTime() - start) / 1e6;
        }
    }
}

package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.spotlight.model.Autograd;
import io.spotlight.model.LoadedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The floor of a method's cost, which the benchmark times: the bare forward(+backward) passes of
 * the rows present, unpadded (whole passes of {@code chunk} rows and one pass of exactly the rows
 * left), with nothing else (no path building, reductions, transfers or bookkeeping). Each pass gets
 * its own rows (the template records, slightly perturbed and prepared before the passes run), as
 * the method's passes do: identical rows would run faster than real data.
 */
public final class BarePasses {

    private BarePasses() {}

    /** Rows a method sends through the model for one record of the call, its parameters resolved for the model. */
    public static int rowsPerRecord(LoadedModel model, MethodCall call) {
        return call.method().implementation().rowsPerRecord(new Explainer().resolve(model, call));
    }

    /** Milliseconds the unpadded passes of {@code rows} rows take, in passes of at most {@code chunk} rows (rows prepared before the clock starts). */
    public static double millis(LoadedModel model, Method method, List<Subject> template, int rows, int chunk) {
        try (NDManager manager = model.newManager()) {
            Differentiable f = Differentiable.of(model);
            Differentiable.Points p = f.points(manager, template);
            int copies = (rows + template.size() - 1) / template.size();
            NDArray all = p.points().repeat(0, copies).get("0:" + rows);
            all = all.add(manager.randomNormal(all.getShape()).mul(0.05f));
            NDArray allAux = p.aux() == null ? null : p.aux().repeat(0, copies).get("0:" + rows);
            int[] targets = new int[rows];
            List<NDArray> inputs = new ArrayList<>();
            List<NDArray> auxes = new ArrayList<>();
            List<PassSchedule.Pass> passes = new ArrayList<>();
            for (int from = 0; from < rows; from += chunk) {
                int to = Math.min(rows, from + chunk);
                inputs.add(all.get(from + ":" + to).duplicate());
                auxes.add(allAux == null ? null : allAux.get(from + ":" + to).duplicate());
                passes.add(new PassSchedule.Pass(to - from, IntStream.range(from, to).toArray()));
            }
            long start = System.nanoTime();
            for (int i = 0; i < inputs.size(); i++) {
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
                        InputPass.throughFeatures(model, x, targets, passes.get(i), false).get(2).toFloatArray();
                    }
                    default -> {
                        Autograd.enable();
                        GradientCore.pass(f, x, aux, targets, passes.get(i), false).gradients().toFloatArray();
                    }
                }
            }
            return (System.nanoTime() - start) / 1e6;
        }
    }
}

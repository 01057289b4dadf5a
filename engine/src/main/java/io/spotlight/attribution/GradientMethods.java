package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.spotlight.model.LoadedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ObjIntConsumer;

/** What the single-pass gradient methods share: one gradient per record, then a reduction to a map. */
final class GradientMethods {

    private GradientMethods() {}

    /** The reduction of a gradient (saliency, SmoothGrad): its L2 norm over a token's embedding. */
    static final ParameterSpec<Reduction> GRADIENT_REDUCTION = Reduction.parameter(Reduction.L2);

    /** The reduction of gradient x input: its sum over a token's embedding (the token's signed contribution). */
    static final ParameterSpec<Reduction> PRODUCT_REDUCTION = Reduction.parameter(Reduction.SUM);

    static boolean differentiable(LoadedModel model) {
        return model.card().input().isText()
                ? model.card().layer("embed") != null && model.card().layer("from_embeddings") != null
                : true;
    }

    static List<Attribution> explain(AttributionMethod method, LoadedModel model, List<Subject> subjects,
                                     Parameters parameters, boolean timesInput) {
        long start = System.nanoTime();
        Differentiable f = Differentiable.of(model);
        Reduction reduction = parameters.get(timesInput ? PRODUCT_REDUCTION : GRADIENT_REDUCTION);
        int chunk = parameters.get(Passes.CHUNK);
        try (NDManager manager = model.newManager()) {
            Differentiable.Points p = f.points(manager, subjects);
            NDArray grads = GradientCore.of(f, p.points(), p.aux(), Batch.targets(subjects), chunk, false).gradients();
            NDArray raw = timesInput ? grads.mul(p.points()) : grads;
            return assemble(method.method(), parameters, subjects, raw, reduction.apply(raw, f.isImage()), start, false);
        }
    }

    /** One attribution per subject from the batched raw attributions and maps. */
    static List<Attribution> assemble(Method method, Parameters parameters, List<Subject> subjects,
                                      NDArray raw, NDArray maps, long start, boolean seeded) {
        return assemble(method, parameters, subjects, raw, maps, start, seeded, (summary, i) -> {});
    }

    /** As above; {@code summaryExtras} adds subject i's further figures to its summary (after the standard ones). */
    static List<Attribution> assemble(Method method, Parameters parameters, List<Subject> subjects,
                                      NDArray raw, NDArray maps, long start, boolean seeded,
                                      ObjIntConsumer<Map<String, Double>> summaryExtras) {
        List<Tensor> raws = Batch.rows(raw);
        List<Tensor> mapRows = Batch.rows(maps);
        double ms = Batch.elapsedPerRecord(start, subjects.size());
        Map<String, Object> effective = parameters.effective();
        List<Attribution> out = new ArrayList<>(subjects.size());
        for (int i = 0; i < subjects.size(); i++) {
            Subject s = subjects.get(i);
            Map<String, Double> summary = Batch.summary(raws.get(i));
            summaryExtras.accept(summary, i);
            out.add(new Attribution(method, Batch.parameters(effective, s, seeded), raws.get(i), mapRows.get(i),
                    Batch.tokens(s), summary, Map.of(), ms));
        }
        return out;
    }
}

package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import io.spotlight.model.LoadedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ObjIntConsumer;

/** What the gradient methods share: a gradient per record, then a reduction to a map. */
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

    /** Saliency or gradient x input from the shared pass's input gradient. */
    static List<Attribution> fromGradient(Method method, LoadedModel model, List<Subject> subjects, Parameters parameters,
                                          InputPass.Result pass, boolean timesInput) {
        long start = System.nanoTime();
        Reduction reduction = parameters.get(timesInput ? PRODUCT_REDUCTION : GRADIENT_REDUCTION);
        NDArray grads = pass.inputGradients();
        NDArray raw = timesInput ? grads.mul(pass.points().points()) : grads;
        NDArray maps = reduction.apply(raw, Differentiable.imageLike(model.card()));
        Map<String, Object> effective = parameters.effective();
        return assemble(method, subjects, raw, maps, Batch.elapsedPerRecord(start, subjects.size()) + pass.msPerRecord(),
                i -> Batch.parameters(effective, pass.layout(i), Map.of()));
    }

    /** One attribution per subject from the batched raw attributions and maps, with each subject's parameters. */
    static List<Attribution> assemble(Method method, List<Subject> subjects, NDArray raw, NDArray maps, double msPerRecord,
                                      IntFunction<Map<String, Object>> parametersOf) {
        return assemble(method, subjects, raw, maps, msPerRecord, parametersOf, (summary, i) -> {});
    }

    /** As above; {@code summaryExtras} adds subject i's further figures to its summary (after the standard ones). */
    static List<Attribution> assemble(Method method, List<Subject> subjects, NDArray raw, NDArray maps, double msPerRecord,
                                      IntFunction<Map<String, Object>> parametersOf, ObjIntConsumer<Map<String, Double>> summaryExtras) {
        List<Tensor> raws = Batch.rows(raw);
        List<Tensor> mapRows = Batch.rows(maps);
        List<Attribution> out = new ArrayList<>(subjects.size());
        for (int i = 0; i < subjects.size(); i++) {
            Map<String, Double> summary = Batch.summary(raws.get(i));
            summaryExtras.accept(summary, i);
            out.add(new Attribution(method, parametersOf.apply(i), raws.get(i), mapRows.get(i), Batch.tokens(subjects.get(i)), summary,
                    Map.of(), msPerRecord));
        }
        return out;
    }
}

package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.spotlight.events.Identified;
import io.spotlight.model.LoadedModel;
import java.util.List;

/**
 * Integrated gradients on a text model's token embeddings (Captum's LayerIntegratedGradients on
 * the embedding layer, as the chapter uses it): the path runs from a baseline embedding (zeros, or
 * the [PAD] token's) to the input's; each token's attribution is the sum over its embedding,
 * and the token vector is L2-normalised as in the chapter.
 */
public final class LayerIntegratedGradients extends AttributionMethod {

    /** What the path starts from. */
    enum Baseline implements Identified { ZEROS, PAD }

    /** Whether a record's token attributions are divided by their L2 norm. */
    enum Normalisation implements Identified { L2, NONE }

    static final ParameterSpec<Baseline> BASELINE = ParameterSpec.choice("baseline", Baseline.ZEROS,
            "What the path starts from: `zeros`, or the `pad` token's embedding at every position.");
    static final ParameterSpec<Normalisation> NORMALISE = ParameterSpec.choice("normalise", Normalisation.L2,
            "Divide a record's token attributions by their L2 norm (as the chapter), or not.");

    private static final MethodParameters PARAMETERS = MethodParameters.of(PathIntegral.RULE, PathIntegral.STEPS,
            PathIntegral.GAP_TARGET, PathIntegral.MIN_STEPS, PathIntegral.MAX_STEPS, BASELINE, NORMALISE, Passes.CHUNK, Passes.PASSES)
            .recording(PathIntegral.STEPS_USED);

    public LayerIntegratedGradients() {
        super(Method.LAYER_INTEGRATED_GRADIENTS, PARAMETERS);
    }

    @Override
    public int rowsPerRecord(Parameters parameters) {
        return PathIntegral.rowsPerRecord(parameters);
    }

    @Override
    public boolean supports(LoadedModel model) {
        return model.card().input().isText() && GradientMethods.differentiable(model);
    }

    @Override
    public List<Attribution> explain(LoadedModel model, List<Subject> subjects, Parameters parameters) {
        long start = System.nanoTime();
        if (!supports(model)) {
            throw new IllegalArgumentException(method() + " needs a text model with embed/from_embeddings layers; " + model.card().ref() + " is not");
        }
        Differentiable f = Differentiable.of(model);
        Baseline baseline = parameters.get(BASELINE);
        boolean normalise = parameters.get(NORMALISE) == Normalisation.L2;
        try (NDManager manager = model.newManager()) {
            Differentiable.Points p = f.points(manager, subjects);
            NDArray base = baseline == Baseline.ZEROS
                    ? p.points().zerosLike()
                    : model.call(model.card().layer("embed"), p.aux().zerosLike().add(model.tokenizer().padId()))
                            .singletonOrThrow().stopGradient();
            PathIntegral.Result r = PathIntegral.integrate(parameters, f, p.points(), base, p.aux(), Batch.targets(subjects));
            NDArray tokens = r.attributions().sum(new int[] {2});
            NDArray maps = normalise ? tokens.div(tokens.square().sum(new int[] {1}, true).sqrt()) : tokens;
            return IntegratedGradients.withGap(method(), parameters, subjects, r, maps, start, false);
        }
    }
}

package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.spotlight.events.Identified;
import io.spotlight.model.LoadedModel;
import java.util.List;
import java.util.Set;

/**
 * Integrated gradients on a text model's token embeddings (Captum's LayerIntegratedGradients on
 * the embedding layer, as the chapter uses it): the path runs from a baseline embedding (zeros, or
 * the [PAD] token's) to the input's; each token's attribution is the sum over its embedding,
 * and the token vector is L2-normalised as in the chapter.
 */
public final class LayerIntegratedGradients implements AttributionMethod {

    /** Integration steps unless the call gives {@code steps}. */
    static final int DEFAULT_STEPS = 50;

    @Override
    public Method method() {
        return Method.LAYER_INTEGRATED_GRADIENTS;
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
        IntegrationRule rule = Identified.of(IntegrationRule.class, parameters.choice("rule", "gauss-legendre", Set.copyOf(Identified.ids(IntegrationRule.class))));
        int steps = parameters.integer("steps", DEFAULT_STEPS, rule.minimumSteps(), 100_000);
        String baseline = parameters.choice("baseline", "zeros", Set.of("zeros", "pad"));
        boolean normalise = parameters.choice("normalise", "l2", Set.of("l2", "none")).equals("l2");
        int chunk = Passes.chunk(parameters, model);
        parameters.requireAllUsed(method());
        try (NDManager manager = model.newManager()) {
            Differentiable.Points p = f.points(manager, subjects);
            NDArray base = baseline.equals("zeros")
                    ? p.points().zerosLike()
                    : model.call(model.card().layer("embed"), p.aux().zerosLike().add(model.tokenizer().padId()))
                            .singletonOrThrow().stopGradient();
            PathIntegral.Result r = PathIntegral.integrate(f, p.points(), base, p.aux(), Batch.targets(subjects),
                    rule.steps(steps), chunk);
            NDArray tokens = r.attributions().sum(new int[] {2});
            NDArray maps = normalise ? tokens.div(tokens.square().sum(new int[] {1}, true).sqrt()) : tokens;
            return IntegratedGradients.withDelta(method(), parameters, subjects, r, maps, start, false);
        }
    }
}

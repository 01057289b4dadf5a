package io.spotlight.explanation;

import io.spotlight.attribution.Explainer;
import io.spotlight.attribution.MethodCall;
import io.spotlight.attribution.Subject;
import io.spotlight.evaluation.AttentionGradientAgreement;
import io.spotlight.evaluation.FaithfulnessCurves;
import io.spotlight.evaluation.ScoreCall;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelCard;
import io.spotlight.model.ModelInput;
import io.spotlight.model.ModelRegistry;
import io.spotlight.sampling.SamplingReason;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs every planned method once per model before the stream starts, and scores the result as a
 * scored record's would be: the first call of a TorchScript module is slow (and must happen on one
 * thread before several threads share it), a score parameter wrong for the model fails here, and
 * the second call's time tells how long one record can take, which poll sizing must allow for.
 */
public final class Warmup {

    private Warmup() {}

    /** Milliseconds per record of the slowest plan, by model. */
    public static Map<String, Double> run(ModelRegistry registry, ExplanationPlan plan, ScorePlan scores, Explainer explainer) {
        FaithfulnessCurves curves = new FaithfulnessCurves();
        Map<String, Double> out = new LinkedHashMap<>();
        for (LoadedModel model : registry.all()) {
            Set<MethodCall> calls = new LinkedHashSet<>();
            for (SamplingReason reason : SamplingReason.values()) {
                try {
                    calls.addAll(plan.calls(model.card(), reason));
                } catch (IllegalArgumentException e) {
                    // No plan for this reason: it will be dead-lettered if it ever comes up.
                }
            }
            List<Subject> one = List.of(new Subject(neutralInput(model), 0, 0));
            List<ScoreCall> scoreCalls = FaithfulnessCurves.supports(model) ? scores.curves(model.card()) : List.of();
            curves.score(model, one, explainer.explain(model, one, List.copyOf(calls)), scoreCalls);
            AttentionGradientAgreement.resolve(model, scores.agreement(model.card()).parameters());
            long start = System.nanoTime();
            curves.score(model, one, explainer.explain(model, one, List.copyOf(calls)), scoreCalls);
            out.put(model.card().ref().toString(), (System.nanoTime() - start) / 1e6);
        }
        return out;
    }

    static ModelInput neutralInput(LoadedModel model) {
        ModelCard card = model.card();
        if (card.input().isText()) {
            return new ModelInput.Tokens(model.tokenizer().encode("warm up"));
        }
        long[] shape = card.input().shapeArray();
        float[] zeros = new float[(int) Arrays.stream(shape).reduce(1, Math::multiplyExact)];
        return new ModelInput.Dense(zeros, shape);
    }
}

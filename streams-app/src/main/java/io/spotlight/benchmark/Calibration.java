package io.spotlight.benchmark;

import io.spotlight.attribution.Explainer;
import io.spotlight.attribution.MethodCall;
import io.spotlight.attribution.Passes;
import io.spotlight.attribution.Subject;
import io.spotlight.explanation.ExplanationPlan;
import io.spotlight.model.LoadedModel;
import io.spotlight.sampling.SamplingReason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses a model's chunk (rows per forward/backward pass) by measuring: the time to explain a
 * batch of records with the model's low-confidence plan (the most frequent costly one), for each
 * candidate size. Small models on CPU want big passes (per-call overhead dominates); big ones want
 * small passes (memory traffic dominates).
 */
public final class Calibration {

    public static final int[] CANDIDATES = {1, 2, 4, 8, 16, 32, 64, 128};

    private Calibration() {}

    /** Milliseconds per batch for each candidate chunk, in order. */
    public static Map<Integer, Double> measure(LoadedModel model, ExplanationPlan plan, int batch) throws Exception {
        Benchmark timer = new Benchmark(1, 3);
        Explainer explainer = new Explainer();
        List<Subject> subjects = Subject.samples(model, batch);
        Map<Integer, Double> out = new LinkedHashMap<>();
        for (int chunk : CANDIDATES) {
            List<MethodCall> calls = new ArrayList<>();
            for (MethodCall c : plan.calls(model.card(), SamplingReason.LOW_CONFIDENCE)) {
                Map<String, String> p = new LinkedHashMap<>(c.parameters());
                p.put(Passes.CHUNK.name(), Integer.toString(chunk));
                calls.add(new MethodCall(c.method(), p));
            }
            out.put(chunk, timer.median(() -> explainer.explain(model, subjects, calls)));
        }
        return out;
    }

    public static int best(Map<Integer, Double> timings) {
        return timings.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }
}

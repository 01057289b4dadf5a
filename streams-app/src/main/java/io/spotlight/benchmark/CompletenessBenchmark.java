package io.spotlight.benchmark;

import io.spotlight.attribution.Attribution;
import io.spotlight.attribution.Explainer;
import io.spotlight.attribution.Method;
import io.spotlight.attribution.MethodCall;
import io.spotlight.attribution.Subject;
import io.spotlight.model.LoadedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Integrated gradients to a completeness target against fixed step counts, on the same records:
 * {@code steps=auto} (the fewest of a doubling ladder whose gap |sum(attr) - (F(x) - F(x'))| is
 * within the target of |F(x) - F(x')|) against 50 fixed steps, and against the fewest fixed steps
 * that bring every record within the target (equal faithfulness): steps, gaps, and explanations
 * per second, batched.
 */
public final class CompletenessBenchmark {

    /** Fixed step counts tried for the fewest that bring every record within the target. */
    static final int[] FIXED = {8, 16, 32, 50, 64, 128, 256};

    /** A way of choosing steps over the records: its steps (mean and most), gaps (median and most), share within target, ms per record. */
    public record Run(String steps, double meanSteps, int maxSteps, double medianGap, double maxGap, double withinTarget, double msPerRecord) {}

    /** auto, fixed 50, and the fewest fixed steps with every record within the target (null when none of {@link #FIXED} does). */
    public record Row(String model, String method, int records, double target, Run auto, Run fixed50, Run fixedAll) {}

    private final Benchmark timer;
    private final Explainer explainer = new Explainer();

    public CompletenessBenchmark(Benchmark timer) {
        this.timer = timer;
    }

    public Row measure(LoadedModel model, Method method, Map<String, String> cardParameters, int records, int batch, double target)
            throws Exception {
        List<Subject> subjects = Subject.samples(model, records);
        Map<String, String> auto = new LinkedHashMap<>(cardParameters);
        auto.put("steps", "auto");
        auto.put("gap-target", Double.toString(target));
        Run autoRun = run(model, method, subjects, auto, batch, target, "auto", true);
        Run fixed50 = null;
        Run fixedAll = null;
        for (int steps : FIXED) {
            Map<String, String> fixed = new LinkedHashMap<>(cardParameters);
            fixed.put("steps", Integer.toString(steps));
            boolean timed = steps == 50;
            Run r = run(model, method, subjects, fixed, batch, target, Integer.toString(steps), timed);
            if (steps == 50) {
                fixed50 = r;
            }
            if (fixedAll == null && r.withinTarget() >= 1) {
                fixedAll = timed ? r : run(model, method, subjects, fixed, batch, target, Integer.toString(steps), true);
            }
            if (fixed50 != null && fixedAll != null) {
                break;
            }
        }
        return new Row(model.card().ref().toString(), method.id(), records, target, autoRun, fixed50, fixedAll);
    }

    /** The records in batches: their steps and gaps, and (when {@code timed}) the median time per record. */
    private Run run(LoadedModel model, Method method, List<Subject> subjects, Map<String, String> parameters, int batch, double target,
                    String label, boolean timed) throws Exception {
        List<MethodCall> calls = List.of(new MethodCall(method, parameters));
        List<Attribution> results = new ArrayList<>();
        Benchmark.Task all = () -> {
            results.clear();
            for (int from = 0; from < subjects.size(); from += batch) {
                explainer.explain(model, subjects.subList(from, Math.min(subjects.size(), from + batch)), calls).forEach(r -> results.add(r.get(0)));
            }
            return results;
        };
        double ms = timed ? timer.median(all) / subjects.size() : Double.NaN;
        if (!timed) {
            all.run();
        }
        double[] gaps = results.stream().mapToDouble(a -> a.summary().getOrDefault("gap", Double.POSITIVE_INFINITY)).sorted().toArray();
        int[] steps = results.stream().mapToInt(a -> a.parameters().get("steps-used") instanceof Number n ? n.intValue()
                : ((Number) a.parameters().get("steps")).intValue()).toArray();
        long within = Arrays.stream(gaps).filter(g -> g <= target).count();
        return new Run(label, Arrays.stream(steps).average().orElse(0), Arrays.stream(steps).max().orElse(0), gaps[gaps.length / 2],
                gaps[gaps.length - 1], (double) within / gaps.length, ms);
    }
}

package io.spotlight.benchmark;

import io.spotlight.attribution.Attribution;
import io.spotlight.attribution.Explainer;
import io.spotlight.attribution.MethodCall;
import io.spotlight.attribution.Subject;
import io.spotlight.evaluation.FaithfulnessCurves;
import io.spotlight.evaluation.ScoreCall;
import io.spotlight.explanation.ExplanationPlan;
import io.spotlight.explanation.ScorePlan;
import io.spotlight.model.Classifier;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelInput;
import io.spotlight.sampling.SamplingReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the explanation scores cost per record, against the explanation they judge: a batch of
 * sample records explained with the model's low-confidence plan (two methods for every shipped
 * model), then scored (deletion and insertion curves of every map, default parameters), and the
 * scores' floor: the same number of forward rows through the model alone, in passes of the same
 * size. Numbers only; no assertions.
 */
public final class ScoreBenchmark {

    /** One model's figures, per record of a batch. */
    public record Row(String model, String methods, double explainMs, double scoreMs, double rows, double floorMs) {
        public double ratioToExplanation() {
            return scoreMs / explainMs;
        }

        public double ratioToFloor() {
            return scoreMs / floorMs;
        }
    }

    private final Benchmark timer;

    public ScoreBenchmark(int repeats) {
        this.timer = new Benchmark(3, repeats);
    }

    public Row measure(LoadedModel model, int batch) throws Exception {
        List<Subject> subjects = Benchmark.subjects(model, batch);
        List<MethodCall> calls = new ExplanationPlan(Map.of(), Map.of()).calls(model.card(), SamplingReason.LOW_CONFIDENCE);
        List<ScoreCall> scores = new ScorePlan(1, Map.of()).curves(model.card());
        Explainer explainer = new Explainer();
        FaithfulnessCurves curves = new FaithfulnessCurves();
        List<List<Attribution>> attributions = explainer.explain(model, subjects, calls);
        double explain = timer.median(() -> explainer.explain(model, subjects, calls));
        double score = timer.median(() -> curves.score(model, subjects, attributions, scores));
        double rows = curves.score(model, subjects, attributions, scores).get(0).rows();
        int total = (int) Math.round(rows * batch);
        int chunk = model.settings().chunk();
        List<ModelInput> inputs = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            inputs.add(subjects.get(i % batch).input());
        }
        double floor = timer.median(() -> {
            for (int from = 0; from < total; from += chunk) {
                List<ModelInput> pass = new ArrayList<>(inputs.subList(from, Math.min(total, from + chunk)));
                while (pass.size() < chunk) {
                    pass.add(pass.get(0));
                }
                Classifier.probabilities(model, pass);
            }
            return null;
        });
        return new Row(model.card().ref().toString(), String.join(", ", calls.stream().map(c -> c.method().id()).toList()),
                explain / batch, score / batch, rows, floor / batch);
    }

    public static String markdown(List<Row> rows, int batch, int repeats) {
        StringBuilder s = new StringBuilder("## Explanation scores: cost per scored record\n\n");
        s.append("Deletion and insertion curves (k = 10 steps, one random ordering, default removal) of every map of a record\n")
                .append("explained with the model's low-confidence plan; ").append(batch).append(" records scored together, median of ")
                .append(repeats).append(" runs after 3 warm-up runs. *Rows*: forward rows sent per scored record; *floor*: that many rows\n")
                .append("through the model alone, in passes of the model's `chunk`. At `faithfulness.share` = 0.1 a record costs on\n")
                .append("average a tenth of the scoring time.\n\n");
        s.append("| model | methods scored | explain ms/record | score ms/record | ratio to explaining | rows | floor ms | ratio to floor | "
                + "mean added at share 0.1 |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.0f | %.2f | %.2f | %.1f %% |%n", r.model(), r.methods(),
                    r.explainMs(), r.scoreMs(), r.ratioToExplanation(), r.rows(), r.floorMs(), r.ratioToFloor(),
                    10 * r.ratioToExplanation()));
        }
        return s.toString();
    }
}

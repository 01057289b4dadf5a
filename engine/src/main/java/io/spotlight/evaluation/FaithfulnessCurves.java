package io.spotlight.evaluation;

import io.spotlight.events.Faithfulness;

import io.spotlight.attribution.Attribution;
import io.spotlight.attribution.IntegratedGradients;
import io.spotlight.attribution.Parameters;
import io.spotlight.attribution.Passes;
import io.spotlight.attribution.Subject;
import io.spotlight.model.LoadedModel;
import io.spotlight.numeric.GaussianBlur;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entry point of the curve scores (deletion, insertion): every curve of every attribution of
 * every record, their rows built in Java and sent through the model together, forward only, in
 * passes of the scores' {@code chunk} rows. Knows nothing of Kafka.
 */
public final class FaithfulnessCurves {

    /**
     * A record's curves: per attribution (in the order given), each score's curve (null where the
     * record has no units); and the cost: milliseconds and forward rows per record of the run.
     */
    public record Scored(List<Map<Score, Faithfulness.Curve>> curves, double elapsedMs, double rows) {}

    /** A curve score's parameters resolved for a model; throws if it does not apply or a parameter is wrong. */
    public static Parameters resolve(LoadedModel model, ScoreCall call) {
        if (!(call.score().implementation() instanceof CurveScore curve) || !curve.supports(model)) {
            throw new IllegalArgumentException(call.score() + " does not apply to " + model.card().ref());
        }
        Parameters p = Parameters.resolve(call.score(), call.parameters(), model.card(), model.settings());
        Removal removal = p.get(CurveScore.REMOVAL);
        if (!removal.fits(model.card())) {
            throw new IllegalArgumentException(call.score() + ": removal " + removal.id() + " does not apply to " + model.card().ref()
                    + "'s " + model.card().input().kind() + " input");
        }
        if (removal == Removal.BLUR) {
            long[] shape = model.card().input().shapeArray();
            p.record(IntegratedGradients.BLUR_KERNEL_EFFECTIVE,
                    GaussianBlur.effectiveKernel(p.get(CurveScore.BLUR_KERNEL), (int) shape[1], (int) shape[2]));
        }
        return p;
    }

    /** Whether the curve scores apply to a model's explanations (an image of [C, H, W], or a tokenised text). */
    public static boolean supports(LoadedModel model) {
        return ((CurveScore) Score.DELETION.implementation()).supports(model);
    }

    /**
     * Every call's curve for every attribution of every subject; attributions.get(i) are subject
     * i's. A score that does not apply or a wrong parameter throws before anything is computed.
     */
    public List<Scored> score(LoadedModel model, List<Subject> subjects, List<List<Attribution>> attributions, List<ScoreCall> calls) {
        long start = System.nanoTime();
        List<Parameters> resolved = calls.stream().map(c -> resolve(model, c)).toList();
        long[] rowShape = model.card().input().isText()
                ? new long[] {model.tokenizer().maxLength()} : model.card().input().shapeArray();
        Map<Integer, Rows> byChunk = new LinkedHashMap<>();
        List<List<CurveScore.Pending>> pending = new ArrayList<>(subjects.size());
        List<List<Rows>> rowsOf = new ArrayList<>(subjects.size());
        for (int s = 0; s < subjects.size(); s++) {
            Subject subject = subjects.get(s);
            List<CurveScore.Pending> mine = new ArrayList<>(calls.size());
            List<Rows> where = new ArrayList<>(calls.size());
            for (int c = 0; c < calls.size(); c++) {
                Parameters p = resolved.get(c);
                Removal removal = p.get(CurveScore.REMOVAL);
                Units units = removal == Removal.BLUR
                        ? Units.of(model, subject.input(), removal, p.get(CurveScore.BLUR_KERNEL), p.get(CurveScore.BLUR_SIGMA))
                        : Units.of(model, subject.input(), removal, 0, 0);
                List<float[]> maps = attributions.get(s).stream().map(a -> units.attributions(a.map())).toList();
                Rows rows = byChunk.computeIfAbsent(p.get(Passes.CHUNK), k -> new Rows(rowShape));
                mine.add(((CurveScore) calls.get(c).score().implementation()).add(rows, units, subject, maps, p));
                where.add(rows);
            }
            pending.add(mine);
            rowsOf.add(where);
        }
        Map<Rows, double[]> probabilities = new LinkedHashMap<>();
        byChunk.forEach((chunk, rows) -> probabilities.put(rows, rows.targetProbabilities(model, chunk)));
        double ms = (System.nanoTime() - start) / 1e6 / Math.max(1, subjects.size());
        double rowsPerRecord = byChunk.values().stream().mapToInt(Rows::size).sum() / (double) Math.max(1, subjects.size());
        List<Scored> out = new ArrayList<>(subjects.size());
        for (int s = 0; s < subjects.size(); s++) {
            List<Map<Score, Faithfulness.Curve>> perAttribution = new ArrayList<>();
            for (int a = 0; a < attributions.get(s).size(); a++) {
                perAttribution.add(new EnumMap<>(Score.class));
            }
            for (int c = 0; c < calls.size(); c++) {
                List<Faithfulness.Curve> curves = pending.get(s).get(c).curves(probabilities.get(rowsOf.get(s).get(c)));
                for (int a = 0; a < curves.size(); a++) {
                    perAttribution.get(a).put(calls.get(c).score(), curves.get(a));
                }
            }
            out.add(new Scored(perAttribution, ms, rowsPerRecord));
        }
        return out;
    }
}

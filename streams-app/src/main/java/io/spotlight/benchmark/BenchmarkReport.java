package io.spotlight.benchmark;

import io.spotlight.attribution.Calibration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** BENCHMARKS.md's sections, from the measurements. */
public final class BenchmarkReport {

    private BenchmarkReport() {}

    /** A method row and, where it ran, PyTorch's times for the same method on the same file. */
    public record MethodRow(Benchmark.Row spotlight, TorchReference.Times torch, String note) {}

    public static String methods(List<MethodRow> rows, int repeats, String torchNote) {
        StringBuilder s = new StringBuilder("## Every method against its floor and against PyTorch\n\n");
        s.append("Median of ").append(repeats).append(" timed runs after 3 warm-up runs (the 224 × 224 model: 3 after 1). *Floor*: the\n")
                .append("unpadded forward+backward passes of the rows present (whole passes of `chunk` rows, then one pass of exactly the\n")
                .append("rows left; forward alone for attention), timed alone through DJL. Spotlight runs its passes in shapes from the\n")
                .append("ladder 1, 2, 4, … `chunk` chosen by the rows present (and records them), so a lone record runs a pass of one row.\n")
                .append("*Batched*: a batch of records explained together (16; 4 for the 224 × 224 model); *single*: one record.\n")
                .append("*PyTorch*: ").append(torchNote).append("\n")
                .append("× PyTorch: PyTorch's time over Spotlight's (above 1: Spotlight is faster). IG and SmoothGrad: 50 steps / samples\n")
                .append("(16 on the 224 × 224 model).\n\n");
        s.append("| model | method | chunk | batched ms/record | floor | ratio | single ms | floor | ratio | PyTorch batched | PyTorch single | × PyTorch batched | × PyTorch single | expl/s batched | expl/s single |\n");
        s.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (MethodRow m : rows) {
            Benchmark.Row r = m.spotlight();
            TorchReference.Times t = m.torch();
            s.append(String.format(Locale.ROOT, "| %s | %s%s | %d | %s | %s | %.2f | %s | %s | %.2f | %s | %s | %s | %s | %.0f | %.0f |%n",
                    r.model(), r.method(), m.note(), r.chunk(), fmt(r.msPerRecord()), fmt(r.floorMsPerRecord()), r.ratio(), fmt(r.singleMs()),
                    fmt(r.singleFloorMs()), r.singleRatio(), t == null ? "—" : fmt(t.batchedMsPerRecord()), t == null ? "—" : fmt(t.singleMs()),
                    t == null ? "—" : String.format(Locale.ROOT, "%.2f", t.batchedMsPerRecord() / r.msPerRecord()),
                    t == null ? "—" : String.format(Locale.ROOT, "%.2f", t.singleMs() / r.singleMs()), 1000 / r.msPerRecord(), 1000 / r.singleMs()));
        }
        return s.toString();
    }

    public static String plans(List<PlanBenchmark.Row> rows) {
        StringBuilder s = new StringBuilder("## Plans: several methods against the dearest alone\n\n");
        s.append("Each model card's plans of more than one method, and all the methods a model computes from one forward and\n")
                .append("backward at the records (saliency, gradient × input, Grad-CAM, Grad-CAM++), which share that pass; time per\n")
                .append("record of the whole plan over that of its dearest member alone, the same records in the same run.\n\n");
        s.append("| model | plan | dearest alone | batched ms/record | dearest | ratio | single ms | dearest | ratio |\n");
        s.append("|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (PlanBenchmark.Row r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.2f | %s | %s | %.2f |%n", r.model(), String.join(" + ", r.plan()),
                    r.dearest(), fmt(r.batchedMs()), fmt(r.dearestBatchedMs()), r.ratio(), fmt(r.singleMs()), fmt(r.dearestSingleMs()),
                    r.singleRatio()));
        }
        return s.toString();
    }

    public static String completeness(List<CompletenessBenchmark.Row> rows, int batch) {
        StringBuilder s = new StringBuilder("## Integrated gradients to a completeness target\n\n");
        s.append("The completeness gap |Σattr − (F(x) − F(x′))| / |F(x) − F(x′)| of every record, over the model's shipped samples\n")
                .append("explained in batches of ").append(batch).append(", with the card's baseline and the Gauss-Legendre rule: `steps=auto`\n")
                .append("(the fewest of 16, 32, 64, 128, 256 steps whose gap is within the target of 1 %, per record, records still open\n")
                .append("sharing each round's passes), 50 fixed steps, and the fewest fixed steps (of 8, 16, 32, 50, 64, 128, 256) that bring\n")
                .append("every record within the target: equal faithfulness. ms per record: the whole set, batched, median of 3.\n\n");
        s.append("| model | method | records | auto: steps mean (max) | gap median / max | within 1 % | ms/record | 50 steps: gap median / max | within 1 % | ms/record | fewest fixed steps with all within | ms/record | auto × faster at equal gap | auto × faster than 50 |\n");
        s.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (CompletenessBenchmark.Row r : rows) {
            CompletenessBenchmark.Run a = r.auto();
            CompletenessBenchmark.Run f = r.fixed50();
            CompletenessBenchmark.Run all = r.fixedAll();
            s.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f (%d) | %s / %s | %.0f %% | %s | %s / %s | %.0f %% | %s | %s | %s | %s | %.2f |%n",
                    r.model(), r.method(), r.records(), a.meanSteps(), a.maxSteps(), pct(a.medianGap()), pct(a.maxGap()), 100 * a.withinTarget(),
                    fmt(a.msPerRecord()), pct(f.medianGap()), pct(f.maxGap()), 100 * f.withinTarget(), fmt(f.msPerRecord()),
                    all == null ? "none ≤ 256" : all.steps(), all == null ? "—" : fmt(all.msPerRecord()),
                    all == null ? "—" : String.format(Locale.ROOT, "%.2f", all.msPerRecord() / a.msPerRecord()), f.msPerRecord() / a.msPerRecord()));
        }
        return s.toString();
    }

    public static String load(List<LoadBenchmark.Row> rows, double stepSeconds, double halfSeconds) {
        StringBuilder s = new StringBuilder("## Under load: the real topology on a broker\n\n");
        s.append("`./spotlight benchmark --load`: Spotlight (role all, exactly-once, one stream thread) on the embedded broker, one model at\n")
                .append("a time, every prediction sampled and explained with the card's low-confidence plan. Predictions go at a steady rate\n")
                .append("for ").append((int) stepSeconds).append(" s a step; a rate is *sustained* when every explanation of the step is committed soon after its\n")
                .append("last prediction (within a second, or two batches' time of the engine alone if longer): the backlog did not grow. Rates double from 1/16 of the engine alone until one is not sustained; two bisections narrow\n")
                .append("it. At half the highest sustained rate (").append((int) halfSeconds).append(" s), the end-to-end latency from the prediction's timestamp to its\n")
                .append("committed explanation, as a read_committed consumer sees it, and as Spotlight's own histogram\n")
                .append("(`spotlight_explanation_latency_seconds`, quantiles interpolated in its buckets as Prometheus does). *Engine alone*:\n")
                .append("the same plan over batches of 16 records, without Kafka or decoding.\n\n");
        s.append("| model | plan | engine alone, expl/s | highest sustained, expl/s | × engine | at half: rate | p50 ms | p99 ms | histogram p50 | histogram p99 | steps (rate/s: in time of sent) |\n");
        s.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (LoadBenchmark.Row r : rows) {
            StringBuilder ramp = new StringBuilder();
            for (LoadBenchmark.Step st : r.ramp()) {
                ramp.append(ramp.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.0f: %d/%d", st.rate(), st.explainedInTime(), st.sent()));
            }
            s.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.2f | %.1f | %s | %s | %s | %s | %s |%n", r.model(), String.join(" + ", r.plan()),
                    r.engineAlonePerSecond(), r.sustainedPerSecond(), r.ratio(), r.half().rate(), fmt(r.half().p50Ms()), fmt(r.half().p99Ms()),
                    fmt(r.histogramP50Ms()), fmt(r.histogramP99Ms()), ramp));
        }
        return s.toString();
    }

    /** The calibration of a model measured at benchmark time. */
    public static String calibration(Map<String, Calibration.Result> calibrated) {
        StringBuilder s = new StringBuilder("## Calibration of the 224 × 224 model\n\n");
        s.append("torchvision's ResNet-18 with random weights (`tools/export_resnet18.py`, exported when the benchmark runs, never\n")
                .append("shipped), its chunk and pass overhead measured as `\"chunk\": \"auto\"` measures them: one forward+backward pass per rung.\n\n");
        s.append("| model | ms per pass by rows | chunk | pass overhead (rows) |\n|---|---|---:|---:|\n");
        calibrated.forEach((model, r) -> {
            StringBuilder by = new StringBuilder();
            r.msPerPass().forEach((rows, ms) -> by.append(by.isEmpty() ? "" : ", ").append(rows).append(": ").append(fmt(ms)));
            s.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f |%n", model, by, r.chunk(), r.passOverhead()));
        });
        return s.toString();
    }

    static String pct(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.2f %%", 100 * fraction) : "∞";
    }

    public static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return "—";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}

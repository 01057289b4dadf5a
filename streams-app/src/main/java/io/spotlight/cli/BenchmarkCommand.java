package io.spotlight.cli;

import io.spotlight.attribution.Explainer;
import io.spotlight.attribution.Method;
import io.spotlight.benchmark.Benchmark;
import io.spotlight.benchmark.DecodingBenchmark;
import io.spotlight.benchmark.ScoreBenchmark;
import io.spotlight.model.DjlRuntime;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Times every method of every registered model against its floor (the same forward+backward passes timed alone through DJL) and writes a Markdown table. A measurement, not a test: it asserts nothing.")
final class BenchmarkCommand implements Callable<Integer> {

    @Option(names = "--registry", description = "Model registry (default ${DEFAULT-VALUE}).", defaultValue = "models/registry.json")
    Path registry;

    @Option(names = "--batch", description = "Records per batch (default ${DEFAULT-VALUE}).", defaultValue = "16")
    int batch;

    @Option(names = "--repeats", description = "Timed runs per figure; the median is reported (default ${DEFAULT-VALUE}).", defaultValue = "11")
    int repeats;

    @Option(names = "--threads", description = "libtorch intra-op threads (default ${DEFAULT-VALUE}).", defaultValue = "1")
    int threads;

    @Option(names = "--out", description = "Where to write the table (default ${DEFAULT-VALUE}).", defaultValue = "BENCHMARKS.md")
    Path out;

    @Option(names = "--decoding", description = "Only measure reading predictions in each input format (Spotlight's events, the Open Inference Protocol, CloudEvents) and update that section of --out.")
    boolean decodingOnly;

    @Option(names = "--scores", description = "Only measure what the explanation scores (deletion and insertion curves) cost per record against the explanation they judge and their forward floor, and update that section of --out.")
    boolean scoresOnly;

    @Option(names = "--model", description = "Only these model ids (repeatable).")
    List<String> only = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        DjlRuntime.start(threads);
        if (decodingOnly) {
            try (ModelRegistry models = ModelRegistry.load(registry, DjlRuntime.device("cpu"))) {
                String section = decoding(models);
                Files.writeString(out, DecodingBenchmark.splice(Files.exists(out) ? Files.readString(out) : "# Benchmarks\n", section));
            }
            System.out.println("wrote " + out);
            return 0;
        }
        if (scoresOnly) {
            try (ModelRegistry models = ModelRegistry.load(registry, DjlRuntime.device("cpu"))) {
                Files.writeString(out, DecodingBenchmark.splice(Files.exists(out) ? Files.readString(out) : "# Benchmarks\n", scores(models)));
            }
            System.out.println("wrote " + out);
            return 0;
        }
        Benchmark bench = new Benchmark(3, repeats);
        Explainer explainer = new Explainer();
        List<Benchmark.Row> rows = new ArrayList<>();
        List<String[]> steps = new ArrayList<>();
        String decoding;
        try (ModelRegistry models = ModelRegistry.load(registry, DjlRuntime.device("cpu"))) {
            for (LoadedModel m : models.all()) {
                if (!only.isEmpty() && !only.contains(m.card().id())) {
                    continue;
                }
                int chunk = m.settings().chunk();
                for (Method method : explainer.applicable(m)) {
                    Benchmark.Row r = bench.measure(m, method, batch, chunk);
                    rows.add(r);
                    System.out.printf(Locale.ROOT, "%-26s %-27s %8.3f ms/record (floor %8.3f, x%.2f); single %8.3f ms (floor %8.3f, x%.2f)%n",
                            r.model(), r.method(), r.msPerRecord(), r.floorMsPerRecord(), r.ratio(), r.singleMs(), r.singleFloorMs(), r.singleRatio());
                    if (method == Method.INTEGRATED_GRADIENTS || method == Method.SMOOTHGRAD || method == Method.LAYER_INTEGRATED_GRADIENTS) {
                        Benchmark.Row perStep = bench.measure(m, method, 1, 1);
                        steps.add(new String[] {r.model(), r.method(), fmt(perStep.singleMs()), fmt(r.singleMs()), Integer.toString(chunk),
                                fmt(perStep.singleMs() / r.singleMs()), fmt(r.msPerRecord()), fmt(perStep.singleMs() / r.msPerRecord())});
                    }
                }
            }
            decoding = scores(models) + "\n" + decoding(models);
        }
        Files.writeString(out, markdown(rows, steps) + "\n" + decoding);
        System.out.println("wrote " + out);
        return 0;
    }

    /** The scores' table, printed and as BENCHMARKS.md's section. */
    private String scores(ModelRegistry models) throws Exception {
        ScoreBenchmark bench = new ScoreBenchmark(repeats);
        List<ScoreBenchmark.Row> rows = new ArrayList<>();
        for (LoadedModel m : models.all()) {
            if (only.isEmpty() || only.contains(m.card().id())) {
                ScoreBenchmark.Row r = bench.measure(m, batch);
                rows.add(r);
                System.out.printf(Locale.ROOT, "%-24s scores %8.3f ms/record (x%.2f of explaining with %s; %.0f rows, x%.2f of their floor)%n",
                        r.model(), r.scoreMs(), r.ratioToExplanation(), r.methods(), r.rows(), r.ratioToFloor());
            }
        }
        return ScoreBenchmark.markdown(rows, batch, repeats);
    }

    /** The decoding table, printed and as BENCHMARKS.md's section. */
    private String decoding(ModelRegistry models) throws Exception {
        List<DecodingBenchmark.Row> rows = new DecodingBenchmark(repeats).measure(models, 200);
        rows.forEach(r -> System.out.printf(Locale.ROOT, "%-24s %8.1f us/prediction (x%.2f of spotlight's own)%n", r.format(), r.microsPerPrediction(), r.ratio()));
        return DecodingBenchmark.markdown(rows, repeats) + "\n" + machine() + "\n";
    }

    private String markdown(List<Benchmark.Row> rows, List<String[]> steps) throws Exception {
        StringBuilder s = new StringBuilder("# Benchmarks\n\n");
        s.append("Written by `./spotlight benchmark` on ").append(LocalDate.now()).append(". ").append(machine()).append("\n\n");
        s.append("Each figure is the median of ").append(repeats).append(" timed runs after 3 warm-up runs. *Floor*: the same forward+backward\n")
                .append("passes (same pass shape, same count) timed alone through DJL, without building inputs, reducing or copying results.\n")
                .append("Batched: ").append(batch).append(" records explained together (rows of all records share passes of `chunk` rows);\n")
                .append("single: one record. IG and SmoothGrad use 50 steps / samples. A single record still pays a whole pass\n")
                .append("of `chunk` rows (passes have a fixed shape so a record's bits never depend on its batch-mates); its floor\n")
                .append("is the same padded passes. On a shared machine whole runs of this table differ from each other: compare\n")
                .append("two runs before reading meaning into a gap of a few tens of percent.\n\n");
        s.append("| model | method | chunk | batched ms/record | floor | ratio | expl/s batched | single ms | floor | ratio | expl/s single |\n");
        s.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Benchmark.Row r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %.2f | %.0f | %s | %s | %.2f | %.0f |%n", r.model(), r.method(), r.chunk(),
                    fmt(r.msPerRecord()), fmt(r.floorMsPerRecord()), r.ratio(), 1000 / r.msPerRecord(), fmt(r.singleMs()),
                    fmt(r.singleFloorMs()), r.singleRatio(), 1000 / r.singleMs()));
        }
        s.append("\n## Batching the path: one pass per step vs passes of `chunk` rows\n\n");
        s.append("| model | method | one pass per step, ms | chunked, single record, ms | chunk | speed-up | chunked, batched, ms/record | speed-up |\n");
        s.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (String[] r : steps) {
            s.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        return s.toString();
    }

    private String machine() throws Exception {
        String cpu = "unknown CPU";
        Path info = Path.of("/proc/cpuinfo");
        if (Files.exists(info)) {
            cpu = Files.readAllLines(info).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return String.format(Locale.ROOT, "Machine: %s, %d cores, %.0f GiB; %s %s; DJL %s with libtorch %s on %s, %d intra-op thread(s).",
                cpu, Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize() / (1024.0 * 1024 * 1024),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), ai.djl.engine.Engine.getDjlVersion(),
                ai.djl.engine.Engine.getEngine("PyTorch").getVersion(), "CPU", threads);
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}

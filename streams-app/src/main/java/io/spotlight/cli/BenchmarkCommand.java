package io.spotlight.cli;

import ai.djl.engine.Engine;
import io.spotlight.attribution.Calibration;
import io.spotlight.attribution.Explainer;
import io.spotlight.attribution.Method;
import io.spotlight.attribution.MethodCall;
import io.spotlight.benchmark.Benchmark;
import io.spotlight.benchmark.BenchmarkReport;
import io.spotlight.benchmark.CompletenessBenchmark;
import io.spotlight.benchmark.DecodingBenchmark;
import io.spotlight.benchmark.LoadBenchmark;
import io.spotlight.benchmark.PlanBenchmark;
import io.spotlight.benchmark.ScoreBenchmark;
import io.spotlight.benchmark.Sections;
import io.spotlight.benchmark.TorchReference;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.kafka.EmbeddedKafka;
import io.spotlight.model.DjlRuntime;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelCard;
import io.spotlight.model.ModelRegistry;
import io.spotlight.model.ModelSettings;
import io.spotlight.model.SampleData;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Times every method of every registered model (and of a 224 x 224 ResNet-18 exported for the run) against its floor, the unpadded forward+backward passes of the rows present, and against plain PyTorch autograd on the same TorchScript file (tools/torch_reference.py, Debian's python3-torch) measured in the same run; plans against their dearest member; integrated gradients to a completeness target against fixed steps; what the explanation scores cost against the explanation they judge; the real topology under load; reading each input format. Writes BENCHMARKS.md. A measurement, not a test: it asserts nothing.")
final class BenchmarkCommand implements Callable<Integer> {

    @Option(names = "--registry", description = "Model registry (default ${DEFAULT-VALUE}).", defaultValue = "models/registry.json")
    Path registry;

    @Option(names = "--batch", description = "Records per batch (default ${DEFAULT-VALUE}).", defaultValue = "16")
    int batch;

    @Option(names = "--repeats", description = "Timed runs per figure; the median is reported (default ${DEFAULT-VALUE}).", defaultValue = "11")
    int repeats;

    @Option(names = "--threads", description = "libtorch (and PyTorch) intra-op threads (default ${DEFAULT-VALUE}).", defaultValue = "1")
    int threads;

    @Option(names = "--out", description = "Where to write the tables (default ${DEFAULT-VALUE}).", defaultValue = "BENCHMARKS.md")
    Path out;

    @Option(names = "--decoding", description = "Only measure reading predictions in each input format and update that section of --out.")
    boolean decodingOnly;

    @Option(names = "--load", description = "Only drive the real topology on an embedded broker at increasing rates (per model: the highest sustained rate, p50/p99 latency at half of it) and update that section of --out.")
    boolean loadOnly;

    @Option(names = "--load-step", description = "Seconds per rate step under load (default ${DEFAULT-VALUE}).", defaultValue = "10")
    int loadStep;

    @Option(names = "--load-half", description = "Seconds at half the highest sustained rate (default ${DEFAULT-VALUE}).", defaultValue = "20")
    int loadHalf;

    @Option(names = "--scores", description = "Only measure what the explanation scores (deletion and insertion curves) cost per record against the explanation they judge and their forward floor, and update that section of --out.")
    boolean scoresOnly;

    @Option(names = "--model", description = "Only these model ids (repeatable).")
    List<String> only = new ArrayList<>();

    @Option(names = "--torch", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Time the same methods in plain PyTorch (tools/torch_reference.py) between Spotlight's own runs (default: on).")
    boolean torch;

    @Option(names = "--resnet18", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Export torchvision's ResNet-18 with random weights (tools/export_resnet18.py, into --work), calibrate and benchmark it (default: on; takes a while on CPU).")
    boolean resnet18;

    @Option(names = "--python", description = "The Python with torch (default ${DEFAULT-VALUE}: Debian's python3-torch).", defaultValue = "/usr/bin/python3")
    Path python;

    @Option(names = "--tools", description = "The scripts' folder (default ${DEFAULT-VALUE}).", defaultValue = "tools")
    Path tools;

    @Option(names = "--work", description = "Where the exported model and scratch files go (default ${DEFAULT-VALUE}).", defaultValue = "target/benchmark")
    Path work;

    @Option(names = "--completeness-records", description = "Records per model for the completeness table (default ${DEFAULT-VALUE}).", defaultValue = "32")
    int completenessRecords;

    private final List<String> loads = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        DjlRuntime.start(threads);
        Files.createDirectories(work);
        loads.add(loadAverage());
        String existing = Files.exists(out) ? Files.readString(out) : "# Benchmarks\n";
        try (ModelRegistry models = ModelRegistry.load(registry, DjlRuntime.device("cpu"))) {
            if (decodingOnly) {
                write(Sections.splice(existing, decoding(models)));
                return 0;
            }
            if (loadOnly || scoresOnly) {
                String file = scoresOnly ? Sections.splice(existing, scores(models)) : existing;
                file = loadOnly ? Sections.splice(file, load(models)) : file;
                loads.add(loadAverage());
                write(Sections.splice(file, machineSection()));
                return 0;
            }
            List<LoadedModel> measured = new ArrayList<>(selected(models));
            Map<String, Calibration.Result> calibrated = new LinkedHashMap<>();
            LoadedModel large = resnet18 ? exportResnet18(calibrated) : null;
            if (large != null) {
                measured.add(large);
            }
            List<BenchmarkReport.MethodRow> methodRows = new ArrayList<>();
            List<PlanBenchmark.Row> plans = new ArrayList<>();
            List<CompletenessBenchmark.Row> completeness = new ArrayList<>();
            Explainer explainer = new Explainer();
            for (LoadedModel m : measured) {
                boolean big = m == large;
                Benchmark bench = big ? new Benchmark(1, 3) : new Benchmark(3, repeats);
                int modelBatch = big ? 4 : batch;
                int pathRows = big ? 16 : 50;
                List<Method> methods = explainer.applicable(m);
                List<Benchmark.Row> rows = new ArrayList<>();
                for (Method method : methods) {
                    Benchmark.Row r = bench.measure(m, call(method, pathRows), modelBatch);
                    rows.add(r);
                    System.out.printf(Locale.ROOT, "%-26s %-27s %8.3f ms/record (floor %8.3f, x%.2f); single %8.3f ms (floor %8.3f, x%.2f)%n",
                            r.model(), r.method(), r.msPerRecord(), r.floorMsPerRecord(), r.ratio(), r.singleMs(), r.singleFloorMs(), r.singleRatio());
                }
                Map<String, TorchReference.Times> torchTimes = torch ? torch(m, methods, modelBatch, big, pathRows) : Map.of();
                for (Benchmark.Row r : rows) {
                    methodRows.add(new BenchmarkReport.MethodRow(r, torchTimes.get(r.method()),
                            big && (r.method().contains("integrated") || r.method().equals("smoothgrad")) ? " (16)" : ""));
                }
                plans.addAll(new PlanBenchmark(big ? bench : new Benchmark(3, Math.max(3, repeats / 2))).measure(m, modelBatch, method -> call(method, pathRows)));
                if (!big) {
                    for (Method method : List.of(Method.INTEGRATED_GRADIENTS, Method.LAYER_INTEGRATED_GRADIENTS)) {
                        if (methods.contains(method) && !SampleData.of(m.card()).isEmpty() && m.card().watermark() == null) {
                            CompletenessBenchmark.Row r = new CompletenessBenchmark(new Benchmark(1, 3)).measure(m, method,
                                    cardParameters(m.card(), method), completenessRecords, batch, 0.01);
                            completeness.add(r);
                            System.out.printf(Locale.ROOT, "%-26s %s auto: %.1f steps, %.2f ms/record; 50 steps: %.2f ms/record%n", r.model(), r.method(),
                                    r.auto().meanSteps(), r.auto().msPerRecord(), r.fixed50().msPerRecord());
                        }
                    }
                }
            }
            String scoresSection = scores(models);
            String loadSection = load(models);
            String decodingSection = decoding(models);
            loads.add(loadAverage());
            StringBuilder file = new StringBuilder("# Benchmarks\n\n");
            file.append("Written by `./spotlight benchmark` on ").append(LocalDateTime.now().truncatedTo(ChronoUnit.MINUTES)).append(". ")
                    .append(machine()).append(" Load average (1 min) at the start and end: ").append(String.join(" and ", loads))
                    .append(": other work shared the machine, so compare ratios taken within a run, not absolute times across runs.\n\n");
            file.append(BenchmarkReport.methods(methodRows, repeats, torch ? torchNote() : "not run (--no-torch)")).append('\n');
            file.append(BenchmarkReport.plans(plans)).append('\n');
            file.append(BenchmarkReport.completeness(completeness, batch)).append('\n');
            file.append(scoresSection).append('\n');
            file.append(loadSection).append('\n');
            if (!calibrated.isEmpty()) {
                file.append(BenchmarkReport.calibration(calibrated)).append('\n');
            }
            file.append(decodingSection);
            write(file.toString());
            if (large != null) {
                large.close();
            }
        }
        return 0;
    }

    private void write(String text) throws Exception {
        Files.writeString(out, text);
        System.out.println("wrote " + out);
    }

    private List<LoadedModel> selected(ModelRegistry models) {
        return models.all().stream().filter(m -> only.isEmpty() || only.contains(m.card().id())).toList();
    }

    /** The method with its defaults, but the path methods' steps or samples where a big model needs fewer. */
    private static MethodCall call(Method method, int pathRows) {
        if (pathRows == 50) {
            return MethodCall.of(method);
        }
        return switch (method) {
            case INTEGRATED_GRADIENTS, LAYER_INTEGRATED_GRADIENTS -> new MethodCall(method, Map.of("steps", Integer.toString(pathRows)));
            case SMOOTHGRAD -> new MethodCall(method, Map.of("samples", Integer.toString(pathRows)));
            default -> MethodCall.of(method);
        };
    }

    private static Map<String, String> cardParameters(ModelCard card, Method method) {
        Map<String, String> p = card.parameters() == null ? null : card.parameters().get(method.id());
        Map<String, String> out = new LinkedHashMap<>(p == null ? Map.of() : p);
        out.remove("steps");
        return out;
    }

    private Map<String, TorchReference.Times> torch(LoadedModel m, List<Method> methods, int modelBatch, boolean big, int pathRows) {
        try {
            return TorchReference.measure(new TorchReference.Settings(python, tools.resolve("torch_reference.py"), modelBatch,
                            big ? 1 : 3, big ? 3 : repeats, threads, pathRows, pathRows), m, methods.stream().map(Method::id).toList(),
                    m.settings().chunk());
        } catch (Exception e) {
            System.out.println("PyTorch reference for " + m.card().ref() + " not measured: " + e.getMessage());
            return Map.of();
        }
    }

    private String torchNote() {
        return "the same methods written plainly in PyTorch " + torchVersion() + " autograd as Captum and pytorch-grad-cam compute them\n"
                + "(Captum itself is not installable here), on the same TorchScript file, path and noise rows in passes of at most `chunk`\n"
                + "rows (unpadded), " + threads + " intra-op thread(s), timed by `tools/torch_reference.py` right after Spotlight's runs of the model.";
    }

    private String torchVersion() {
        try {
            Process p = new ProcessBuilder(python.toString(), "-c", "import torch; print(torch.__version__)").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? v : "(version unknown)";
        } catch (Exception e) {
            return "(version unknown)";
        }
    }

    /** ResNet-18 exported for this run and calibrated as "chunk": "auto" would. */
    private LoadedModel exportResnet18(Map<String, Calibration.Result> calibrated) throws Exception {
        Path dir = work.resolve("resnet18");
        Process p = new ProcessBuilder(python.toString(), tools.resolve("export_resnet18.py").toString(), dir.toString()).inheritIO().start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            System.out.println("ResNet-18 not exported (tools/export_resnet18.py failed); its rows are left out");
            return null;
        }
        LoadedModel m = LoadedModel.load(ModelCard.load(dir.resolve("model.json")), DjlRuntime.device("cpu"), ModelSettings.DEFAULT);
        Calibration.Result r = Calibration.measure(m);
        m.settings(r.settings());
        calibrated.put(m.card().ref().toString(), r);
        System.out.printf(Locale.ROOT, "%s calibrated: chunk %d, pass overhead %.2f rows (%s)%n", m.card().ref(), r.chunk(), r.passOverhead(), r.msPerPass());
        return m;
    }

    private String load(ModelRegistry models) throws Exception {
        List<LoadBenchmark.Row> rows = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            LoadBenchmark bench = new LoadBenchmark(kafka.bootstrapServers(), Duration.ofSeconds(loadStep), Duration.ofSeconds(loadHalf), work);
            SpotlightConfig base = SpotlightConfig.defaults().with(Map.of("models.threads", Integer.toString(threads)));
            for (LoadedModel m : selected(models)) {
                if (!SampleData.of(m.card()).isEmpty() && m.card().watermark() == null) {
                    rows.add(bench.measure(m, base));
                }
            }
        }
        return BenchmarkReport.load(rows, loadStep, loadHalf);
    }

    /** The scores' table, printed and as BENCHMARKS.md's section. */
    private String scores(ModelRegistry models) throws Exception {
        ScoreBenchmark bench = new ScoreBenchmark(repeats);
        List<ScoreBenchmark.Row> rows = new ArrayList<>();
        for (LoadedModel m : selected(models)) {
            ScoreBenchmark.Row r = bench.measure(m, batch);
            rows.add(r);
            System.out.printf(Locale.ROOT, "%-24s scores %8.3f ms/record (x%.2f of explaining with %s; %.0f rows, x%.2f of their floor)%n",
                    r.model(), r.scoreMs(), r.ratioToExplanation(), r.methods(), r.rows(), r.ratioToFloor());
        }
        return ScoreBenchmark.markdown(rows, batch, repeats);
    }

    /** The decoding table, printed and as BENCHMARKS.md's section. */
    private String decoding(ModelRegistry models) throws Exception {
        List<DecodingBenchmark.Row> rows = new DecodingBenchmark(repeats).measure(models, 200);
        rows.forEach(r -> System.out.printf(Locale.ROOT, "%-24s %8.1f us/prediction (x%.2f of spotlight's own)%n", r.format(), r.microsPerPrediction(), r.ratio()));
        return DecodingBenchmark.markdown(rows, repeats);
    }

    private String machineSection() throws Exception {
        return "## The machine\n\n" + machine() + " Load average (1 min) at the start and end of the last partial run: " + String.join(" and ", loads) + ".\n";
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "unknown";
        }
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
                System.getProperty("java.vm.name"), System.getProperty("java.version"), Engine.getDjlVersion(),
                Engine.getEngine("PyTorch").getVersion(), "CPU", threads);
    }
}

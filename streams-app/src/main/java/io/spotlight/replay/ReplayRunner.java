package io.spotlight.replay;

import ai.djl.Device;
import io.spotlight.attribution.Method;
import io.spotlight.attribution.MethodCall;
import io.spotlight.attribution.Parameters;
import io.spotlight.attribution.Subject;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.containment.RecordLimits;
import io.spotlight.events.EncodedMap;
import io.spotlight.events.ExplanationEvent.EngineInfo;
import io.spotlight.events.ExplanationEvent.MethodResult;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Json;
import io.spotlight.events.ModelRef;
import io.spotlight.explanation.Digests;
import io.spotlight.explanation.ExplainRequest;
import io.spotlight.explanation.ExplanationService;
import io.spotlight.explanation.Outcome;
import io.spotlight.focus.Divergence;
import io.spotlight.kafka.KafkaClients;
import io.spotlight.model.DjlRuntime;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelRegistry;
import io.spotlight.sampling.SamplingDecision;
import io.spotlight.sampling.SamplingPolicy;
import io.spotlight.validation.Checked;
import io.spotlight.validation.PredictionValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * An audit replay: reads a range of the predictions topic, validates and samples each record as
 * the live stream does, re-runs every explanation with the methods and parameters recorded in the
 * published event (the plan in force when there is none), and compares the results with what was
 * published. Re-explained events go to {@code sink}; differences are drawn by {@code figures}.
 */
public final class ReplayRunner {

    /** What to replay and against what. */
    public record Options(String predictionsTopic, Bound from, Bound to, String model, String modelVersion,
                          String compareTopic, Duration compareMargin, double tolerance, String application) {}

    private final Options options;
    private final KafkaClients clients;
    private final ModelRegistry registry;
    private final PredictionValidator validator;
    private final SamplingPolicy sampling;
    private final ExplanationService service;
    private final int batch;

    public ReplayRunner(Options options, KafkaClients clients, ModelRegistry registry, PredictionValidator validator, SamplingPolicy sampling,
                        ExplanationService service, int batch) {
        this.options = options;
        this.clients = clients;
        this.registry = registry;
        this.validator = validator;
        this.sampling = sampling;
        this.service = service;
        this.batch = batch;
    }

    /** A runner that validates, samples and explains as the configuration says, as the live stream does. */
    public static ReplayRunner of(SpotlightConfig config, ModelRegistry registry, Options options) {
        RecordLimits limits = RecordLimits.of(config);
        return new ReplayRunner(options, KafkaClients.of(config), registry, PredictionValidator.of(config, registry, limits.wholeOriginalBytes()),
                SamplingPolicy.of(config), ExplanationService.of(config, registry, Clock.systemUTC(), limits.maxValueBytes(null)),
                config.integer("explain.batch-size"));
    }

    /**
     * Runs the replay. {@code progress} hears (done, total) as records are re-explained;
     * {@code sink} receives every re-explained event and reports those it lost; {@code figures} draws
     * each difference.
     */
    public ReplayReport run(BiConsumer<Long, Long> progress, ReplaySink sink, DifferenceFigures figures) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        TopicRange reader = new TopicRange(clients);
        Scan scan = scan(reader);
        Map<String, List<ExplanationEvent>> published = published(reader, scan);
        Plan plan = plan(scan, published);
        Comparison compared = reExplain(plan, published, progress, sink, figures);
        List<String> lost = sink.flush();
        return report(scan, published, plan, compared, lost, started, (System.nanoTime() - t0) / 1e9);
    }

    /** Re-explains the plan in batches, each event to the sink, and compares it with what was published. */
    private Comparison reExplain(Plan plan, Map<String, List<ExplanationEvent>> published, BiConsumer<Long, Long> progress,
                                 ReplaySink sink, DifferenceFigures figures) {
        Comparison compared = new Comparison(options.tolerance());
        long done = 0;
        for (int i = 0; i < plan.redos().size(); i += batch) {
            List<ExplanationService.Redo> chunk = plan.redos().subList(i, Math.min(plan.redos().size(), i + batch));
            List<Outcome> outcomes = service.redo(chunk);
            for (int k = 0; k < chunk.size(); k++) {
                String id = chunk.get(k).request().event().id();
                if (outcomes.get(k) instanceof Outcome.Explained ex) {
                    sink.accept(ex.event());
                    compared.add(id, published.get(id), ex.event(), figures);
                } else {
                    compared.failed(id, ((Outcome.Failed) outcomes.get(k)).message());
                }
            }
            done += chunk.size();
            progress.accept(done, (long) plan.redos().size());
        }
        return compared;
    }

    private ReplayReport report(Scan scan, Map<String, List<ExplanationEvent>> published, Plan plan, Comparison compared,
                                List<String> lost, Instant started, double seconds) {
        // Published explanations of predictions in the range that the replay did not explain.
        List<String> extra = published.keySet().stream().filter(id -> !compared.replayed.contains(id) && !compared.failedIds.contains(id)).toList();
        ReplayReport.Counts counts = new ReplayReport.Counts(scan.scanned(), scan.invalid(), scan.otherModels(), scan.sampled().size(),
                compared.replayed.size(), compared.identical, compared.withinTolerance, compared.different, compared.whatIf,
                plan.missing().size(), extra.size(), compared.failed.size(), lost.size());
        Map<String, ReplayReport.WhatIf> whatIfs = new TreeMap<>();
        compared.whatIfByMethod.forEach((m, w) -> whatIfs.put(m, w.summary()));
        return new ReplayReport(options.application(), options.predictionsTopic(), options.from().toString(), options.to().toString(),
                scan.spans(), options.model(), options.modelVersion(), options.tolerance(), started, seconds,
                compared.engine == null ? DjlRuntime.info(Device.cpu()) : compared.engine, List.copyOf(compared.publishedEngines.values()),
                counts, plan.versions(), compared.largest, compared.differences, plan.missing(), extra, compared.failed, lost, whatIfs);
    }

    /** Draws a difference between a published and a replayed explanation; returns its file name, or null. */
    @FunctionalInterface
    public interface DifferenceFigures {
        String draw(String predictionId, ExplanationEvent published, ExplanationEvent replayed);
    }

    /** What reading the range found: how many records, and the valid, distinct ones sampled again. */
    record Scan(Map<Integer, TopicRange.Span> spans, long scanned, long invalid, long otherModels, List<ExplainRequest> sampled,
                Set<String> predictionIds, long firstEventTime, long lastEventTime) {}

    /** The re-explanations to run, the sampled predictions that were never published, and the model versions used. */
    record Plan(List<ExplanationService.Redo> redos, List<String> missing, Map<String, Long> versions) {}

    /** Reads the range, validates and samples each record as the live stream did, in a fixed order. */
    private Scan scan(TopicRange reader) {
        Scanner scanner = new Scanner();
        var spans = reader.read(options.predictionsTopic(), options.from(), options.to(), r -> scanner.accept(r.value()));
        // Sampled predictions come partition by partition; a fixed order makes reports comparable run to run.
        scanner.sampled.sort(Comparator.comparing((ExplainRequest r) -> r.event().timestamp()).thenComparing(r -> r.event().id()));
        return new Scan(spans, scanner.scanned, scanner.invalid, scanner.otherModels, scanner.sampled, scanner.seen,
                scanner.firstEventTime, scanner.lastEventTime);
    }

    /** The counts and sampled requests of a scan, record by record. */
    private final class Scanner {
        final List<ExplainRequest> sampled = new ArrayList<>();
        final Set<String> seen = new LinkedHashSet<>();
        long scanned;
        long invalid;
        long otherModels;
        long firstEventTime = Long.MAX_VALUE;
        long lastEventTime = Long.MIN_VALUE;

        void accept(byte[] value) {
            scanned++;
            if (!(validator.check(value) instanceof Checked.Valid v)) {
                invalid++;
                return;
            }
            if (options.model() != null && !v.event().model().id().equals(options.model())) {
                otherModels++;
                return;
            }
            if (!seen.add(v.event().id())) {
                // A prediction sent twice was explained (identically) twice: once is the audit of it.
                return;
            }
            firstEventTime = Math.min(firstEventTime, v.event().timestamp().toEpochMilli());
            lastEventTime = Math.max(lastEventTime, v.event().timestamp().toEpochMilli());
            SamplingDecision d = sampling.decide(v.event());
            if (d.sampled()) {
                sampled.add(new ExplainRequest(v.event(), d));
            }
        }
    }

    /** Every published copy of an explanation of a scanned prediction: a second, altered copy must not hide behind the genuine one. */
    private Map<String, List<ExplanationEvent>> published(TopicRange reader, Scan scan) {
        Map<String, List<ExplanationEvent>> published = new LinkedHashMap<>();
        if (options.compareTopic() == null || scan.predictionIds().isEmpty()) {
            return published;
        }
        // Explanations carry their prediction's event time, so the same window (with a margin) holds them all.
        long margin = options.compareMargin().toMillis();
        reader.read(options.compareTopic(), new Bound(Instant.ofEpochMilli(scan.firstEventTime() - margin), null, null),
                new Bound(Instant.ofEpochMilli(scan.lastEventTime() + margin + 1), null, null), r -> {
                    ExplanationEvent e = Json.read(r.value(), ExplanationEvent.class);
                    if (scan.predictionIds().contains(e.predictionId()) && (options.model() == null || e.model().id().equals(options.model()))) {
                        published.computeIfAbsent(e.predictionId(), k -> new ArrayList<>()).add(e);
                    }
                });
        return published;
    }

    /**
     * One re-explanation per sampled prediction: with the methods, parameters and seed recorded in
     * its published explanation, or the plan in force when there is none.
     */
    private Plan plan(Scan scan, Map<String, List<ExplanationEvent>> published) {
        List<ExplanationService.Redo> redos = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Map<String, Long> versions = new TreeMap<>();
        for (ExplainRequest r : scan.sampled()) {
            List<ExplanationEvent> copies = published.get(r.event().id());
            ExplanationEvent original = copies == null ? null : copies.get(0);
            ModelRef recorded = original != null ? original.model() : r.event().model();
            ModelRef use = options.modelVersion() == null ? recorded : new ModelRef(recorded.id(), options.modelVersion());
            versions.merge(use.toString(), 1L, Long::sum);
            List<MethodCall> calls;
            long seed = ExplanationService.seedOf(r.event());
            if (original != null) {
                calls = new ArrayList<>();
                for (MethodResult m : original.explanations()) {
                    Method method = Method.of(m.method());
                    calls.add(new MethodCall(method, Parameters.toRepeat(method, m.parameters())));
                    if (m.parameters().get(Subject.SEED.name()) instanceof Number n) {
                        seed = n.longValue();
                    }
                }
            } else {
                if (options.compareTopic() != null) {
                    missing.add(r.event().id());
                }
                LoadedModel model = registry.find(use).orElse(null);
                calls = model == null ? List.of() : service.plan().calls(model.card(), r.decision().reason());
            }
            redos.add(new ExplanationService.Redo(r, use, calls, seed));
        }
        return new Plan(redos, missing, versions);
    }

    /** The verdicts so far: each re-explained record against its published copies. */
    private static final class Comparison {
        private final double tolerance;
        final Set<String> replayed = new LinkedHashSet<>();
        final Set<String> failedIds = new LinkedHashSet<>();
        final List<String> failed = new ArrayList<>();
        final List<ReplayReport.Difference> differences = new ArrayList<>();
        final Map<String, WhatIfSum> whatIfByMethod = new TreeMap<>();
        final Map<String, EngineInfo> publishedEngines = new LinkedHashMap<>();
        EngineInfo engine;
        ReplayReport.MethodDeviation largest;
        long identical;
        long withinTolerance;
        long different;
        long whatIf;

        Comparison(double tolerance) {
            this.tolerance = tolerance;
        }

        void failed(String id, String message) {
            failed.add(id + ": " + message);
            failedIds.add(id);
        }

        void add(String id, List<ExplanationEvent> copies, ExplanationEvent replayed, DifferenceFigures figures) {
            engine = replayed.engine();
            this.replayed.add(id);
            if (copies == null) {
                return;
            }
            // Judged by its worst copy: identical only when every published copy is.
            ExplanationEvent original = copies.stream().filter(c -> !identical(c, replayed)).findFirst().orElse(copies.get(0));
            publishedEngines.putIfAbsent(describe(original.engine()), original.engine());
            List<ReplayReport.MethodDeviation> deviations = deviations(id, original, replayed);
            for (ReplayReport.MethodDeviation d : deviations) {
                if (largest == null || d.relative() > largest.relative()) {
                    largest = d;
                }
            }
            if (!original.model().equals(replayed.model())) {
                whatIf++;
                deviations.forEach(d -> whatIfByMethod.computeIfAbsent(d.method(), m -> new WhatIfSum()).add(d));
                return;
            }
            if (identical(original, replayed)) {
                identical++;
                return;
            }
            boolean sameEngine = describe(original.engine()).equals(describe(replayed.engine()));
            boolean close = deviations.stream().allMatch(d -> d.relative() <= tolerance);
            String verdict = !intact(original) ? "tampered" : sameEngine ? "different" : close ? "within-tolerance" : "different";
            if (verdict.equals("within-tolerance")) {
                withinTolerance++;
            } else {
                different++;
            }
            differences.add(new ReplayReport.Difference(id, replayed.model().toString(), verdict, original.digest(), replayed.digest(),
                    describe(original.engine()), describe(replayed.engine()), deviations, figures.draw(id, original, replayed)));
        }
    }

    /** One method's deviations over a what-if replay, summed. */
    private static final class WhatIfSum {
        private long count;
        private double jsDivergence;
        private double meanAbs;
        private double maxRelative;

        void add(ReplayReport.MethodDeviation d) {
            count++;
            jsDivergence += d.jsDivergence();
            meanAbs += d.meanAbs();
            maxRelative = Math.max(maxRelative, d.relative());
        }

        ReplayReport.WhatIf summary() {
            return new ReplayReport.WhatIf(count, jsDivergence / count, meanAbs / count, maxRelative);
        }
    }

    /** The published maps match their own digest, and the replay matches both. */
    private static boolean identical(ExplanationEvent published, ExplanationEvent replayed) {
        return intact(published) && published.digest().equals(replayed.digest());
    }

    private static boolean intact(ExplanationEvent published) {
        return Digests.mapDigest(published.explanations()).equals(published.digest());
    }

    static String describe(EngineInfo e) {
        return e.name() + " " + e.version() + " on " + e.device();
    }

    /** Per method present in both: max and mean absolute difference, relative to the original's scale, and JS divergence of the masses. */
    static List<ReplayReport.MethodDeviation> deviations(String id, ExplanationEvent original, ExplanationEvent replayed) {
        Map<String, EncodedMap> mine = new LinkedHashMap<>();
        replayed.explanations().forEach(m -> mine.put(m.method(), m.map()));
        List<ReplayReport.MethodDeviation> out = new ArrayList<>();
        for (MethodResult m : original.explanations()) {
            EncodedMap other = mine.get(m.method());
            if (other == null) {
                continue;
            }
            float[] a = m.map().values();
            float[] b = other.values();
            if (a.length != b.length) {
                out.add(new ReplayReport.MethodDeviation(id, m.method(), Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                        Double.POSITIVE_INFINITY, 1));
                continue;
            }
            double max = 0;
            double sum = 0;
            double scale = 0;
            double[] pa = new double[a.length];
            double[] pb = new double[b.length];
            for (int i = 0; i < a.length; i++) {
                double d = Math.abs((double) a[i] - b[i]);
                max = Math.max(max, d);
                sum += d;
                scale = Math.max(scale, Math.abs(a[i]));
                pa[i] = Math.abs(a[i]);
                pb[i] = Math.abs(b[i]);
            }
            out.add(new ReplayReport.MethodDeviation(id, m.method(), max, scale == 0 ? max : max / scale, sum / a.length,
                    Divergence.jensenShannon(pa, pb)));
        }
        return out;
    }
}

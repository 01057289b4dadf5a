package io.spotlight.replay;

import io.spotlight.attribution.Method;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.attribution.MethodCall;
import io.spotlight.attribution.Parameters;
import io.spotlight.events.EncodedMap;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.ExplanationEvent.EngineInfo;
import io.spotlight.events.ExplanationEvent.MethodResult;
import io.spotlight.events.Json;
import io.spotlight.events.ModelRef;
import io.spotlight.explanation.Digests;
import io.spotlight.explanation.ExplainRequest;
import io.spotlight.explanation.ExplanationService;
import io.spotlight.explanation.Outcome;
import io.spotlight.events.DriftFigures;
import io.spotlight.model.DjlRuntime;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelRegistry;
import io.spotlight.sampling.SamplingDecision;
import io.spotlight.sampling.SamplingPolicy;
import io.spotlight.validation.Checked;
import io.spotlight.validation.PredictionValidator;
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
import java.util.function.Consumer;
import io.spotlight.focus.Divergence;

/**
 * An audit replay: reads a range of the predictions topic, validates and samples each record as
 * the live stream does, re-runs every explanation with the methods and parameters recorded in the
 * published event (the plan in force when there is none), and compares the results with what was
 * published. Re-explained events go to {@code sink}; differences are drawn by {@code pictures}.
 */
public final class ReplayRunner {

    /** What to replay and against what. */
    public record Options(String bootstrap, String predictionsTopic, Bound from, Bound to, String model, String modelVersion,
                          String compareTopic, java.time.Duration compareMargin, double tolerance, String application) {}

    private final Options options;
    private final ModelRegistry registry;
    private final PredictionValidator validator;
    private final SamplingPolicy sampling;
    private final ExplanationService service;
    private final int batch;

    public ReplayRunner(Options options, ModelRegistry registry, PredictionValidator validator, SamplingPolicy sampling,
                        ExplanationService service, int batch) {
        this.options = options;
        this.registry = registry;
        this.validator = validator;
        this.sampling = sampling;
        this.service = service;
        this.batch = batch;
    }

    /** A runner that validates, samples and explains as the configuration says, as the live stream does. */
    public static ReplayRunner of(SpotlightConfig config, ModelRegistry registry, Options options) {
        return new ReplayRunner(options, registry, PredictionValidator.of(config, registry, io.spotlight.containment.RecordLimits.of(config).wholeOriginalBytes()), SamplingPolicy.of(config),
                ExplanationService.of(config, registry, java.time.Clock.systemUTC(), io.spotlight.containment.RecordLimits.of(config).maxValueBytes(null)), config.integer("explain.batch-size"));
    }

    /**
     * Runs the replay. {@code progress} hears (done, total) as records are re-explained;
     * {@code sink} receives every re-explained event; {@code pictures} draws a difference and
     * returns its file name (or null).
     */
    public ReplayReport run(BiConsumer<Long, Long> progress, Consumer<ExplanationEvent> sink, Pictures pictures) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        TopicRange reader = new TopicRange(options.bootstrap());
        List<ExplainRequest> sampled = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        long[] scanned = new long[1];
        long[] invalid = new long[1];
        long[] other = new long[1];
        long[] eventTimes = {Long.MAX_VALUE, Long.MIN_VALUE};
        var spans = reader.read(options.predictionsTopic(), options.from(), options.to(), r -> {
            scanned[0]++;
            Checked c = validator.check(r.value());
            if (!(c instanceof Checked.Valid v)) {
                invalid[0]++;
                return;
            }
            if (options.model() != null && !v.event().model().id().equals(options.model())) {
                other[0]++;
                return;
            }
            if (!seen.add(v.event().id())) {
                // A prediction sent twice was explained (identically) twice: once is the audit of it.
                return;
            }
            eventTimes[0] = Math.min(eventTimes[0], v.event().timestamp().toEpochMilli());
            eventTimes[1] = Math.max(eventTimes[1], v.event().timestamp().toEpochMilli());
            SamplingDecision d = sampling.decide(v.event());
            if (d.sampled()) {
                sampled.add(new ExplainRequest(v.event(), d));
            }
        });

        // Sampled predictions come partition by partition; a fixed order makes reports comparable run to run.
        sampled.sort(Comparator.comparing((ExplainRequest r) -> r.event().timestamp()).thenComparing(r -> r.event().id()));
        // Every published copy is kept: a second, altered copy must not hide behind the genuine one.
        Map<String, List<ExplanationEvent>> published = new LinkedHashMap<>();
        if (options.compareTopic() != null && !seen.isEmpty()) {
            // Explanations carry their prediction's event time, so the same window (with a margin) holds them all.
            long margin = options.compareMargin().toMillis();
            reader.read(options.compareTopic(), new Bound(Instant.ofEpochMilli(eventTimes[0] - margin), null, null),
                    new Bound(Instant.ofEpochMilli(eventTimes[1] + margin + 1), null, null), r -> {
                        ExplanationEvent e = Json.read(r.value(), ExplanationEvent.class);
                        if (seen.contains(e.predictionId()) && (options.model() == null || e.model().id().equals(options.model()))) {
                            published.computeIfAbsent(e.predictionId(), k -> new ArrayList<>()).add(e);
                        }
                    });
        }

        List<ExplanationService.Redo> redos = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Map<String, Long> versions = new TreeMap<>();
        for (ExplainRequest r : sampled) {
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
                    calls.add(new MethodCall(Method.of(m.method()), Parameters.toRepeat(m.parameters())));
                    if (m.parameters().get("seed") instanceof Number n) {
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

        Set<String> replayedIds = new LinkedHashSet<>();
        List<ReplayReport.Difference> differences = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        Set<String> failedIds = new LinkedHashSet<>();
        Map<String, double[]> whatIf = new TreeMap<>();
        Map<String, EngineInfo> engineByName = new LinkedHashMap<>();
        EngineInfo replayEngine = null;
        long identical = 0;
        long within = 0;
        long different = 0;
        long whatIfCount = 0;
        ReplayReport.MethodDeviation largest = null;
        long done = 0;
        for (int i = 0; i < redos.size(); i += batch) {
            List<ExplanationService.Redo> chunk = redos.subList(i, Math.min(redos.size(), i + batch));
            List<Outcome> outcomes = service.redo(chunk);
            for (int k = 0; k < chunk.size(); k++) {
                Outcome o = outcomes.get(k);
                String id = chunk.get(k).request().event().id();
                if (!(o instanceof Outcome.Explained ex)) {
                    failed.add(id + ": " + ((Outcome.Failed) o).message());
                    failedIds.add(id);
                    continue;
                }
                ExplanationEvent replayed = ex.event();
                replayEngine = replayed.engine();
                replayedIds.add(id);
                sink.accept(replayed);
                List<ExplanationEvent> copies = published.get(id);
                if (copies == null) {
                    continue;
                }
                // Judged by its worst copy: identical only when every published copy is.
                ExplanationEvent original = copies.stream().filter(c -> !identical(c, replayed)).findFirst().orElse(copies.get(0));
                engineByName.putIfAbsent(describe(original.engine()), original.engine());
                List<ReplayReport.MethodDeviation> deviations = deviations(id, original, replayed);
                for (ReplayReport.MethodDeviation d : deviations) {
                    if (largest == null || d.relative() > largest.relative()) {
                        largest = d;
                    }
                }
                if (!original.model().equals(replayed.model())) {
                    whatIfCount++;
                    for (ReplayReport.MethodDeviation d : deviations) {
                        double[] acc = whatIf.computeIfAbsent(d.method(), m -> new double[4]);
                        acc[0]++;
                        acc[1] += d.jsDivergence();
                        acc[2] += d.meanAbs();
                        acc[3] = Math.max(acc[3], d.relative());
                    }
                    continue;
                }
                if (identical(original, replayed)) {
                    identical++;
                    continue;
                }
                boolean intact = intact(original);
                boolean sameEngine = describe(original.engine()).equals(describe(replayed.engine()));
                boolean close = deviations.stream().allMatch(d -> d.relative() <= options.tolerance());
                String verdict = !intact ? "tampered" : sameEngine ? "different" : close ? "within-tolerance" : "different";
                if (verdict.equals("within-tolerance")) {
                    within++;
                } else {
                    different++;
                }
                String picture = pictures.draw(id, original, replayed);
                differences.add(new ReplayReport.Difference(id, replayed.model().toString(), verdict, original.digest(), replayed.digest(),
                        describe(original.engine()), describe(replayed.engine()), deviations, picture));
            }
            done += chunk.size();
            progress.accept(done, (long) redos.size());
        }
        // Published explanations of predictions in the range that the replay did not explain.
        List<String> extra = published.keySet().stream().filter(id -> !replayedIds.contains(id) && !failedIds.contains(id)).toList();
        Map<String, ReplayReport.WhatIf> whatIfs = new TreeMap<>();
        whatIf.forEach((m, a) -> whatIfs.put(m, new ReplayReport.WhatIf((long) a[0], a[1] / a[0], a[2] / a[0], a[3])));
        ReplayReport.Counts counts = new ReplayReport.Counts(scanned[0], invalid[0], other[0], sampled.size(), replayedIds.size(),
                identical, within, different, whatIfCount, missing.size(), extra.size(), failed.size());
        return new ReplayReport(options.application(), options.predictionsTopic(), options.from().toString(), options.to().toString(),
                spans, options.model(), options.modelVersion(), options.tolerance(), started, (System.nanoTime() - t0) / 1e9,
                replayEngine == null ? DjlRuntime.info(ai.djl.Device.cpu()) : replayEngine, List.copyOf(engineByName.values()), counts, versions,
                largest, differences, missing, extra, failed, whatIfs);
    }

    /** Draws a difference between a published and a replayed explanation; returns the file name, or null. */
    @FunctionalInterface
    public interface Pictures {
        String draw(String predictionId, ExplanationEvent original, ExplanationEvent replayed);
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

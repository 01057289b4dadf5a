package io.spotlight.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spotlight.events.Agreement;
import io.spotlight.events.DriftFigures;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Faithfulness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Every figure Spotlight publishes, by stage. Names follow Prometheus conventions once Micrometer
 * renders them (spotlight_predictions_consumed_total, spotlight_explain_time_seconds_bucket, ...).
 */
public final class SpotlightMetrics {

    private final MeterRegistry registry;
    private final Counter consumed;
    private final DistributionSummary batchSize;

    public SpotlightMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.consumed = Counter.builder("spotlight.predictions.consumed")
                .description("Prediction records read, valid or not").register(registry);
        this.batchSize = DistributionSummary.builder("spotlight.explain.batch.size")
                .description("Records explained together in one batch").publishPercentileHistogram()
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(registry);
        // Present from the start at zero, so that rates and alerts on them have a series before the first event.
        for (String cause : new String[] {"error", "interrupted"}) {
            crashes(cause);
        }
        retries("engine");
    }

    private Counter crashes(String cause) {
        return Counter.builder("spotlight.explain.crashes").tag("cause", cause)
                .description("Explain attempts that never ended: an Error thrown (error), or the process stopped in them (interrupted)")
                .register(registry);
    }

    private Counter retries(String cause) {
        return Counter.builder("spotlight.explain.retries").tag("cause", cause)
                .description("Requests put back to be explained again after a backoff, the engine (not the record) having failed")
                .register(registry);
    }

    /** Requests whose explanation never ended, by cause. */
    public void explainCrashed(String cause, int requests) {
        crashes(cause).increment(requests);
    }

    public void explainRetried(String cause) {
        retries(cause).increment();
    }

    /** Requests waiting in a task's explain buffer. */
    public void explainBuffered(String task, long requests) {
        gauge("spotlight.explain.buffered", "Requests waiting in the explain buffer, by task", requests, "task", task);
    }

    /** A Prometheus registry with JVM and process figures bound. */
    public static PrometheusMeterRegistry prometheus() {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(r);
        new JvmGcMetrics().bindTo(r);
        new JvmThreadMetrics().bindTo(r);
        new ClassLoaderMetrics().bindTo(r);
        new ProcessorMetrics().bindTo(r);
        new UptimeMetrics().bindTo(r);
        Gauge.builder("process.resident.memory", SpotlightMetrics::residentBytes).baseUnit("bytes")
                .description("Resident set size, native memory (libtorch) included").register(r);
        return r;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void consumed() {
        consumed.increment();
    }

    public void valid(String model, String version) {
        registry.counter("spotlight.predictions.valid", "model", model, "version", version).increment();
    }

    public void sampled(String reason, String model, String version) {
        registry.counter("spotlight.predictions.sampled", "reason", reason, "model", model, "version", version).increment();
    }

    public void skipped(String reason, String model, String version) {
        registry.counter("spotlight.predictions.skipped", "reason", reason, "model", model, "version", version).increment();
    }

    public void deadLettered(String reason, String stage) {
        registry.counter("spotlight.dead.letters", "reason", reason, "stage", stage).increment();
    }

    public void explained(String method, String model, String version, double millis) {
        registry.counter("spotlight.explanations", "method", method, "model", model, "version", version).increment();
        Timer.builder("spotlight.explain.time").description("Compute time per record and method (amortised over its batch)")
                .tags("method", method, "model", model).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry).record(Duration.ofNanos((long) (millis * 1e6)));
    }

    public void explanationEvent(String model, String version) {
        registry.counter("spotlight.explanation.events", "model", model, "version", version).increment();
    }

    /** From a prediction's timestamp to its explanation's commit (Prometheus: histogram_quantile over the buckets for p50/p99). */
    public void latency(String model, Duration predictionToExplanation) {
        Timer.builder("spotlight.explanation.latency").description("From the prediction's timestamp to the commit of its explanation")
                .tags("model", model).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry).record(predictionToExplanation.isNegative() ? Duration.ZERO : predictionToExplanation);
    }

    public void batch(int records) {
        batchSize.record(records);
    }

    private final Map<List<String>, AtomicReference<Double>> gauges =
            new ConcurrentHashMap<>();

    /** A gauge that shows the last value set; created on first use. */
    public void gauge(String name, String description, double value, String... tags) {
        List<String> id = new ArrayList<>(List.of(tags));
        id.add(0, name);
        gauges.computeIfAbsent(id, k -> {
            AtomicReference<Double> ref = new AtomicReference<>(Double.NaN);
            Gauge.builder(name, ref, r -> r.get()).description(description).tags(tags).register(registry);
            return ref;
        }).set(value);
    }

    /** The latest drift figures of a window, by model, version and class ("all" for every class). */
    public void drift(String model, String version, String cls, DriftFigures f) {
        String[] tags = {"model", model, "version", version, "class", cls};
        gauge("spotlight.drift.js.divergence", "Jensen-Shannon divergence (bits) of the window's mean focus grid from the reference", f.jsDivergence(), tags);
        gauge("spotlight.drift.forbidden.mass", "Mean attribution mass inside forbidden regions over the window", f.forbiddenMass(), tags);
        gauge("spotlight.drift.forbidden.change", "Window forbidden mass minus the reference's", f.forbiddenChange(), tags);
        gauge("spotlight.drift.entropy", "Mean normalised entropy of the focus grid over the window", f.entropy(), tags);
        gauge("spotlight.drift.entropy.change", "Window entropy minus the reference's", f.entropyChange(), tags);
        gauge("spotlight.drift.centre.shift", "Distance of the window's centre of mass from the reference's (image fractions)", f.centreShift(), tags);
        gauge("spotlight.drift.watch.mass", "Mean attribution mass on watch-listed tokens over the window", f.watchMass(), tags);
        gauge("spotlight.drift.window.explanations", "Explanations in the last closed window", f.count(), tags);
        if (f.faithfulness() != null) {
            gauge("spotlight.drift.scored", "Scored maps (deletion and insertion curves) in the last closed window", f.faithfulness().scored(), tags);
            gauge("spotlight.drift.deletion.gain", "Mean deletion gain over a random order of the window's scored maps",
                    f.faithfulness().deletionGain(), tags);
            gauge("spotlight.drift.insertion.gain", "Mean insertion gain over a random order of the window's scored maps",
                    f.faithfulness().insertionGain(), tags);
            if (f.faithfulness().drop() != null) {
                gauge("spotlight.drift.faithfulness.drop", "How far the window's mean gain over a random order fell below the reference's",
                        f.faithfulness().drop(), tags);
            }
        }
        if (f.tokenNdcg() != null) {
            gauge("spotlight.drift.token.ndcg", "nDCG of the window's top tokens against the reference's ranking (text)", f.tokenNdcg(), tags);
        }
        if (f.topTokenRankChange() != null) {
            gauge("spotlight.drift.top.token.rank.change", "Mean rank change of the reference's top tokens", f.topTokenRankChange(), tags);
        }
    }

    /** Scored explanations whose recent values the faithfulness and agreement gauges describe. */
    static final int RECENT = 100;
    static final double[] QUANTILES = {0.1, 0.5, 0.9};
    private final Map<List<String>, RecentValues> recent = new ConcurrentHashMap<>();

    private RecentValues recent(String name, String... tags) {
        List<String> id = new ArrayList<>(List.of(tags));
        id.add(0, name);
        return recent.computeIfAbsent(id, k -> new RecentValues(RECENT));
    }

    /**
     * An explanation's scores, as gauges over the last {@value #RECENT} scored explanations per model
     * version: each method's deletion and insertion gain over a random order and both areas, the
     * cost of scoring a record, and the distribution of the attention-gradient agreement.
     */
    public void scores(ExplanationEvent e) {
        String model = e.model().id();
        String version = e.model().version();
        boolean timed = false;
        for (ExplanationEvent.MethodResult m : e.explanations()) {
            Faithfulness f = m.faithfulness();
            if (f == null) {
                continue;
            }
            if (!timed) {
                Timer.builder("spotlight.faithfulness.time").description("Scoring time per scored record, every curve of every map (amortised over its batch)")
                        .tags("model", model).publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(60))
                        .register(registry).record(Duration.ofNanos((long) (f.elapsedMs() * 1e6)));
                timed = true;
            }
            registry.counter("spotlight.faithfulness.scored", "model", model, "version", version, "method", m.method()).increment();
            for (var c : List.of(Map.entry("deletion", Optional.ofNullable(f.deletion())),
                    Map.entry("insertion", Optional.ofNullable(f.insertion())))) {
                if (c.getValue().isEmpty()) {
                    continue;
                }
                Faithfulness.Curve curve = c.getValue().get();
                String[] tags = {"model", model, "version", version, "method", m.method(), "score", c.getKey()};
                RecentValues gain = recent("gain", tags);
                gain.add(curve.gain());
                gauge("spotlight.faithfulness.gain", "Mean gain of the map's curve over a random order of the same records (deletion: random "
                        + "minus map area; insertion: map minus random area), last " + RECENT + " scored explanations", gain.mean(), tags);
                RecentValues auc = recent("auc", tags);
                auc.add(curve.auc());
                RecentValues randomAuc = recent("random-auc", tags);
                randomAuc.add(curve.randomAuc());
                String aucDoc = "Mean area under the curve of the target probability, units taken in the map's order or at random, last "
                        + RECENT + " scored explanations";
                gauge("spotlight.faithfulness.auc", aucDoc, auc.mean(), append(tags, "order", "attribution"));
                gauge("spotlight.faithfulness.auc", aucDoc, randomAuc.mean(), append(tags, "order", "random"));
            }
        }
        if (e.agreement() == null) {
            return;
        }
        for (Agreement a : e.agreement()) {
            String[] tags = {"model", model, "version", version, "attention", a.attention(), "gradient", a.gradient()};
            RecentValues rho = recent("spearman", tags);
            if (a.spearman() != null) {
                rho.add(a.spearman());
            }
            RecentValues overlap = recent("overlap", tags);
            overlap.add(a.topKOverlap());
            for (double q : QUANTILES) {
                String quantile = String.valueOf(q);
                gauge("spotlight.agreement.spearman", "Quantiles of the Spearman rank correlation of the attention and integrated-gradients "
                        + "maps of the same record, last " + RECENT + " explanations with both", rho.quantile(q), append(tags, "quantile", quantile));
                gauge("spotlight.agreement.top.k.overlap", "Quantiles of the top-k overlap of the attention and integrated-gradients maps "
                        + "of the same record, last " + RECENT + " explanations with both", overlap.quantile(q), append(tags, "quantile", quantile));
            }
        }
    }

    private static String[] append(String[] tags, String key, String value) {
        String[] out = Arrays.copyOf(tags, tags.length + 2);
        out[tags.length] = key;
        out[tags.length + 1] = value;
        return out;
    }

    public void label(String outcome) {
        registry.counter("spotlight.labels", "outcome", outcome).increment();
    }

    public void misclassification(String model, String version, String diagnosis) {
        registry.counter("spotlight.misclassifications", "model", model, "version", version, "diagnosis", diagnosis).increment();
    }

    private final Map<String, MultiGauge> tokenGauges = new ConcurrentHashMap<>();

    /** A text model's top tokens in its last all-classes window: mean attribution mass per token (the set is replaced each window). */
    public void topTokens(String model, String version, Map<String, Double> meanMass) {
        MultiGauge g = tokenGauges.computeIfAbsent(model + "|" + version, k ->
                MultiGauge.builder("spotlight.focus.token.mass")
                        .description("Mean attribution mass per token over the last window (text models; top tokens only)").register(registry));
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        meanMass.forEach((token, mass) -> rows.add(MultiGauge.Row.of(
                Tags.of("model", model, "version", version, "token", token), mass)));
        g.register(rows, true);
    }

    /** The threshold a rule judged a model version's last window with (a null quantile for that window's size, or a fixed one). */
    public void threshold(String rule, String figure, String model, String version, double value) {
        gauge("spotlight.alert.threshold", "Threshold of an alert rule in force for the model version's last judged window", value,
                "rule", rule, "figure", figure, "model", model, "version", version);
    }

    private final Map<String, String[]> references = new ConcurrentHashMap<>();

    /** The reference that judged a model version's last window, as an info gauge (1); the series of a reference no longer in force goes. */
    public void reference(String model, String version, String source, String id, String referenceVersion) {
        String name = "spotlight.drift.reference";
        String[] tags = {"model", model, "version", version, "source", source, "reference", id,
            "reference_version", referenceVersion == null ? "" : referenceVersion};
        gauge(name, "The reference judging a model version's windows (1), by source and id", 1, tags);
        String[] before = references.put(model + "|" + version, tags);
        if (before != null && !Arrays.equals(before, tags)) {
            Gauge old = registry.find(name).tags(before).gauge();
            if (old != null) {
                registry.remove(old);
            }
            List<String> key = new ArrayList<>(List.of(before));
            key.add(0, name);
            gauges.remove(key);
        }
    }

    /** An alert raised or resolved. */
    public void alert(String rule, String model, String version, String severity, boolean firing) {
        gauge("spotlight.alert.active", "1 while Spotlight's alert is firing", firing ? 1 : 0,
                "rule", rule, "model", model, "version", version, "severity", severity);
        registry.counter("spotlight.alerts", "rule", rule, "state", firing ? "firing" : "resolved").increment();
    }

    /** Totals over all tags, for progress lines and tests. */
    public double total(String name) {
        return Search.in(registry).name(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Totals over the counters of that name with these tags (key, value, ...). */
    public double total(String name, String... tags) {
        return Search.in(registry).name(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    static double residentBytes() {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(statm[1]) * 4096.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}

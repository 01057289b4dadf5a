package io.spotlight.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spotlight.attribution.Calibration;
import io.spotlight.attribution.Explainer;
import io.spotlight.config.Secrets;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.containment.RecordLimits;
import io.spotlight.events.Identified;
import io.spotlight.events.Json;
import io.spotlight.explanation.ExplanationPlan;
import io.spotlight.explanation.ScorePlan;
import io.spotlight.explanation.Warmup;
import io.spotlight.kafka.KafkaClients;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.model.DjlRuntime;
import io.spotlight.model.ModelRegistry;
import io.spotlight.topology.BatchSize;
import io.spotlight.topology.Role;
import io.spotlight.topology.SpotlightTopology;
import io.spotlight.topology.TopicPredictionLookup;
import io.spotlight.topology.Topics;
import io.spotlight.validation.PredictionValidator;
import io.spotlight.validation.SourceTopic;
import io.spotlight.validation.TimeBounds;
import io.spotlight.web.HttpPolicy;
import io.spotlight.web.MetricsServer;
import io.spotlight.web.RecentEvents;
import io.spotlight.web.WebView;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Spotlight: models loaded and warmed up, topics ensured, the topology of its role
 * running under exactly-once, and the /metrics + /health endpoint serving.
 */
public final class SpotlightApplication implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SpotlightApplication.class);

    private final ModelRegistry registry;
    private final SpotlightMetrics metrics;
    private final KafkaStreams streams;
    private final MetricsServer server;
    private final KafkaStreamsMetrics streamsMetrics;
    private final RecentEvents recent;
    private final TopicPredictionLookup lookup;
    private final CommittedLatency latency;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile Throwable lastThreadFailure;
    private final CompletableFuture<Map<String, Double>> warmup;
    /** Why this instance must not go on: its own warm-up failed, or found that its batches cannot fit (see {@link WorkSizing}). */
    private volatile Throwable refusal;

    static final Duration THREAD_RESTART_PAUSE = Duration.ofSeconds(1);
    static final Duration MAX_THREAD_RESTART_PAUSE = Duration.ofSeconds(30);

    private SpotlightApplication(ModelRegistry registry, SpotlightMetrics metrics, KafkaStreams streams, MetricsServer server,
                                 KafkaStreamsMetrics streamsMetrics, RecentEvents recent, TopicPredictionLookup lookup,
                                 CommittedLatency latency, CompletableFuture<Map<String, Double>> warmup) {
        this.registry = registry;
        this.metrics = metrics;
        this.streams = streams;
        this.server = server;
        this.streamsMetrics = streamsMetrics;
        this.recent = recent;
        this.lookup = lookup;
        this.latency = latency;
        this.warmup = warmup;
    }

    /** How long start-up waits for the cluster's first answer before it says so. */
    public static final Duration ACCESS_TIMEOUT = Duration.ofSeconds(30);

    public static SpotlightApplication start(SpotlightConfig config, PrometheusMeterRegistry prometheus) throws Exception {
        Role role = Identified.of(Role.class, config.get("role"));
        HttpPolicy http = HttpPolicy.from(config);
        // Cheap checks first, each naming what it is about: the registry's cards readable, the port
        // free, then the cluster reachable with these credentials; only then minutes of model loading.
        readableRegistry(config);
        // What is opened before a failure is closed again: the HTTP server's thread would keep the JVM alive.
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        SpotlightApplication[] self = new SpotlightApplication[1];
        MetricsServer server = MetricsServer.bind(http, prometheus,
                () -> self[0] == null ? new MetricsServer.Health(false, "{\"status\":\"STARTING\"}\n") : self[0].health());
        opened.push(server);
        ModelRegistry registry = null;
        CompletableFuture<Map<String, Double>> warmup = CompletableFuture.completedFuture(Map.of());
        try {
            KafkaClients clients = KafkaClients.of(config);
            clients.checkAccess(ACCESS_TIMEOUT);
            ModelRegistry models = loadRegistry(config, config.get("models.device"));
            registry = models;
            SpotlightMetrics metrics = new SpotlightMetrics(prometheus);
            ExplanationPlan plan = ExplanationPlan.from(config);
            // The warm-up (first calls are slow; the second's time sizes the work) runs while the topics are checked and,
            // on a restart that knows this host's last times, while the stream restores its state.
            if (role != Role.GATE) {
                ScorePlan scores = ScorePlan.from(config);
                warmup = CompletableFuture.supplyAsync(() -> warmUp(models, plan, scores));
            }
            Topics topics = Topics.from(config);
            OutputLimits limits;
            try (Admin admin = clients.admin("spotlight-topics")) {
                if (config.bool("topics.create")) {
                    List<String> names = new ArrayList<>(topics.all());
                    SourceTopic.from(config).stream().map(SourceTopic::topic).filter(n -> !names.contains(n)).forEach(names::add);
                    Topics.ensure(admin, names, config.integer("topics.partitions"), StreamsSettings.replication(config));
                }
                limits = OutputLimits.of(admin, topics.outputs(), RecordLimits.of(config), TimeBounds.of(config));
            }
            // The latency consumer joins its group while the rest starts (the stream waits for it below).
            CommittedLatency latency = null;
            if (role != Role.GATE) {
                latency = new CommittedLatency(clients, config.get("application.id"), StreamsSettings.instanceId(StreamsSettings.stateDir(config)),
                        topics.explanations(), metrics);
                opened.push(latency);
            }
            BatchSize batchSize = BatchSize.unsized();
            Map<String, String> plans = LastWarmup.plans(config);
            boolean warmedUp = true;
            if (role != Role.GATE) {
                Optional<Map<String, Double>> last = LastWarmup.read(StreamsSettings.stateDir(config), refs(models), plans);
                if (last.isPresent()) {
                    // Refused now if the last times on this host cannot fit; this start's own size the batches once measured.
                    WorkSizing.batchSize(StreamsSettings.of(config, Map.of()), config, last.get());
                    warmedUp = false;
                } else {
                    sized(config, metrics, batchSize, joined(warmup), plans);
                }
            }
            TopicPredictionLookup lookup = new TopicPredictionLookup(clients.settings(KafkaClients.Kind.CONSUMER, "spotlight-prediction-lookup"));
            opened.push(lookup);
            SpotlightTopology.Stages stages = SpotlightTopology.Stages.of(config, models, metrics, Clock.systemUTC(), lookup,
                    limits.records(), limits.time(), batchSize);
            publishSettings(config, stages, metrics);
            Topology topology = SpotlightTopology.build(topics, role, stages);
            log.debug("topology:\n{}", topology.describe());
            Properties props = StreamsSettings.of(config, SpotlightTopology.errorHandling(stages));
            KafkaStreams streams = new KafkaStreams(topology, props);
            opened.push(streams::close);
            KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
            opened.push(streamsMetrics);
            streamsMetrics.bindTo(prometheus);
            RecentEvents recent = null;
            if (config.bool("web.enabled")) {
                recent = new RecentEvents(clients, topics, config.longValue("web.cache-bytes"));
                opened.push(recent);
                new WebView(recent, models, PredictionValidator.inputs(config)).mount(server);
            }
            self[0] = new SpotlightApplication(models, metrics, streams, server, streamsMetrics, recent, lookup, latency, warmup);
            self[0].watch(prometheus);
            if (latency != null && !latency.awaitAssignment(Duration.ofSeconds(15))) {
                log.warn("the explanation latency consumer has not joined its group within 15 s; the first explanations may not be counted");
            }
            if (!warmedUp) {
                // The explain stage waits for the size; the rest of the stream restores and runs meanwhile.
                SpotlightConfig sizing = config;
                SpotlightApplication app = self[0];
                warmup.thenAccept(ms -> sized(sizing, metrics, batchSize, ms, plans)).whenComplete((ok, e) -> {
                    if (e != null) {
                        app.refused(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                    }
                });
            }
            streams.start();
            log.info("spotlight {} running as role {} on {}; metrics at {}/metrics{}", config.get("application.id"),
                    role.name().toLowerCase(Locale.ROOT), config.get("bootstrap.servers"), server.baseUrl(),
                    recent == null ? "" : ", web view at " + server.baseUrl() + "/ui/");
            return self[0];
        } catch (Exception | Error e) {
            // The models are closed below: a warm-up still running must end first.
            warmup.exceptionally(ignored -> Map.of()).join();
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (registry != null) {
                registry.close();
            }
            throw e;
        }
    }

    /**
     * A stream thread that dies (whatever escaped every handler: a broker away for longer than the
     * clients wait, a fenced producer) is replaced, after a pause that doubles while failures follow
     * each other, so the instance recovers by itself instead of stopping. The state and the failures
     * are metrics.
     */
    private void watch(PrometheusMeterRegistry prometheus) {
        Gauge.builder("spotlight.stream.running", streams, s -> s.state() == KafkaStreams.State.RUNNING ? 1 : 0)
                .description("1 while the stream is RUNNING").register(prometheus);
        Counter rebalances = Counter.builder("spotlight.stream.rebalances").description("Times the stream left RUNNING to rebalance")
                .register(prometheus);
        Counter threadFailures = Counter.builder("spotlight.stream.thread.failures").description("Stream threads that died and were replaced")
                .register(prometheus);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.REBALANCING && before == KafkaStreams.State.RUNNING) {
                rebalances.increment();
            }
            if (now == KafkaStreams.State.RUNNING) {
                consecutiveFailures.set(0);
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            lastThreadFailure = e;
            threadFailures.increment();
            int n = consecutiveFailures.incrementAndGet();
            long pause = Math.min(THREAD_RESTART_PAUSE.toMillis() << Math.min(n - 1, 5), MAX_THREAD_RESTART_PAUSE.toMillis());
            log.error("a stream thread failed ({} in a row); replacing it in {} ms", n, pause, e);
            try {
                Thread.sleep(pause);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /**
     * The window length, the smallest judged window and the latency objective as gauges, so
     * dashboards and Prometheus rules use the ones in force. Thresholds depend on each window's
     * size and reference: the drift stage exports them per judged window.
     */
    private static void publishSettings(SpotlightConfig config, SpotlightTopology.Stages stages, SpotlightMetrics metrics) {
        metrics.gauge("spotlight.explanation.latency.objective.seconds", "Objective for the p99 of prediction-to-explanation latency",
                config.real("alerts.latency-p99-seconds"));
        metrics.gauge("spotlight.drift.window.seconds", "Length of a drift window in seconds (event time)", stages.drift().window().toMillis() / 1000.0);
        metrics.gauge("spotlight.alert.min.explanations", "Fewest explanations a window needs to be judged by the alert rules",
                stages.drift().minExplanations());
    }

    /** The models of models.registry on a device, the engine started on models.threads; a registry that cannot be read is named with its setting. */
    public static ModelRegistry loadRegistry(SpotlightConfig config, String device) {
        DjlRuntime.start(config.integer("models.threads"));
        return namingRegistry(config, file -> ModelRegistry.load(file, DjlRuntime.device(device)));
    }

    /** Reads the registry and its cards (no model loaded), so a wrong path is told before anything slow starts. */
    private static void readableRegistry(SpotlightConfig config) {
        namingRegistry(config, ModelRegistry::ids);
    }

    private static <T> T namingRegistry(SpotlightConfig config, Function<Path, T> read) {
        Path file = Path.of(config.get("models.registry"));
        try {
            return read.apply(file);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException(e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause())
                    + " (models.registry = " + file + ")", e);
        }
    }

    /**
     * The warm-up's times put to use: published, checked against the transaction and poll settings
     * (an exception when they cannot fit), the explain stage's batches sized, and kept in state.dir
     * for the next start.
     */
    private static void sized(SpotlightConfig config, SpotlightMetrics metrics, BatchSize batchSize, Map<String, Double> msPerRecord,
                              Map<String, String> plans) {
        log.info("explain time per record after warm-up (ms): {}", msPerRecord);
        msPerRecord.forEach((ref, ms) -> metrics.gauge("spotlight.explain.record.seconds",
                "Time to explain one record with every method of the model's plans, measured at start-up (capacity: its inverse)",
                ms / 1000, "model", ref.split(":", 2)[0], "version", ref.split(":", 2)[1]));
        batchSize.set(WorkSizing.batchSize(StreamsSettings.of(config, Map.of()), config, msPerRecord));
        LastWarmup.write(StreamsSettings.stateDir(config), msPerRecord, plans);
    }

    /** A failure found after the stream started: the instance reports it (health, {@link #failure()}) and its explain stage stays idle. */
    private void refused(Throwable why) {
        refusal = why;
        log.error("spotlight cannot go on: {}", why.getMessage(), why);
    }

    private static Set<String> refs(ModelRegistry models) {
        return models.all().stream().map(m -> m.card().ref().toString()).collect(Collectors.toSet());
    }

    /** Calibrates the models that ask for it, then warms every plan up; milliseconds per record by model. */
    private static Map<String, Double> warmUp(ModelRegistry registry, ExplanationPlan plan, ScorePlan scores) {
        try {
            calibrate(registry);
        } catch (Exception e) {
            throw new CompletionException(e);
        }
        return Warmup.run(registry, plan, scores, new Explainer());
    }

    private static <T> T joined(CompletableFuture<T> future) throws Exception {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Measures the chunk and pass overhead of every model registered with "chunk": "auto". */
    private static void calibrate(ModelRegistry registry) throws Exception {
        for (var model : registry.all()) {
            if (model.settings().calibrate()) {
                Calibration.Result r = Calibration.measure(model);
                model.settings(r.settings());
                log.info("calibrated {}: chunk {}, pass overhead {} rows (ms per pass by rows: {})", model.card().ref(), r.chunk(),
                        r.passOverhead(), r.msPerPass());
            }
        }
    }

    public MetricsServer.Health health() {
        KafkaStreams.State state = streams.state();
        Throwable refused = refusal;
        Throwable last = lastThreadFailure;
        boolean up = refused == null && (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING);
        String error = refused != null ? ",\"refused\":" + Json.text(Secrets.redact(String.valueOf(refused)))
                : last == null ? "" : ",\"last_thread_failure\":" + Json.text(Secrets.redact(String.valueOf(last)));
        return new MetricsServer.Health(up, "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"streams\":\"" + state + "\"" + error + "}\n");
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.state() == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Why the stream stopped for good (its threads are replaced otherwise), or null while it runs. */
    public Throwable failure() {
        if (refusal != null) {
            return refusal;
        }
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                ? (lastThreadFailure == null ? new IllegalStateException("stream in state " + state) : lastThreadFailure) : null;
    }

    public SpotlightMetrics metrics() {
        return metrics;
    }

    public MetricsServer server() {
        return server;
    }

    public ModelRegistry models() {
        return registry;
    }

    @Override
    public void close() {
        if (recent != null) {
            recent.close();
        }
        if (latency != null) {
            latency.close();
        }
        streams.close(Duration.ofSeconds(30));
        lookup.close();
        streamsMetrics.close();
        server.close();
        // A warm-up still running uses the models.
        warmup.exceptionally(ignored -> Map.of()).join();
        registry.close();
    }
}

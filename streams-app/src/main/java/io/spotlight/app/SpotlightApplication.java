package io.spotlight.app;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spotlight.attribution.Explainer;
import io.spotlight.benchmark.Calibration;
import io.spotlight.config.Secrets;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.events.Identified;
import io.spotlight.explanation.ExplanationPlan;
import io.spotlight.explanation.ScorePlan;
import io.spotlight.explanation.Warmup;
import io.spotlight.kafka.KafkaClients;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.model.DjlRuntime;
import io.spotlight.model.ModelRegistry;
import io.spotlight.topology.Role;
import io.spotlight.topology.SpotlightTopology;
import io.spotlight.topology.Topics;
import io.spotlight.validation.SourceTopic;
import io.spotlight.web.HttpPolicy;
import io.spotlight.web.MetricsServer;
import io.spotlight.web.RecentEvents;
import io.spotlight.web.WebView;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
    /** How long the first connection to Kafka may take before start-up gives up. */
    public static final Duration ACCESS_TIMEOUT = Duration.ofSeconds(30);

    private final ModelRegistry registry;
    private final SpotlightMetrics metrics;
    private final KafkaStreams streams;
    private final MetricsServer server;
    private final KafkaStreamsMetrics streamsMetrics;
    private final RecentEvents recent;
    private volatile Throwable failure;

    private SpotlightApplication(ModelRegistry registry, SpotlightMetrics metrics,
                                 KafkaStreams streams, MetricsServer server, KafkaStreamsMetrics streamsMetrics, RecentEvents recent) {
        this.registry = registry;
        this.metrics = metrics;
        this.streams = streams;
        this.server = server;
        this.streamsMetrics = streamsMetrics;
        this.recent = recent;
    }

    public static SpotlightApplication start(SpotlightConfig config, PrometheusMeterRegistry prometheus) throws Exception {
        Role role = Identified.of(Role.class, config.get("role"));
        HttpPolicy http = HttpPolicy.from(config);
        KafkaClients clients = KafkaClients.of(config);
        // A wrong address or password is told in one sentence, before minutes of model loading.
        clients.checkAccess(ACCESS_TIMEOUT);
        ModelRegistry registry = loadRegistry(config, config.get("models.device"));
        // What is opened before a failure is closed again: the HTTP server's thread would keep the JVM alive.
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            SpotlightMetrics metrics = new SpotlightMetrics(prometheus);
            ExplanationPlan plan = ExplanationPlan.from(config);
            if (role != Role.GATE) {
                calibrate(registry, plan, config.integer("explain.batch-size"));
                checkPollSizing(config, Warmup.run(registry, plan, ScorePlan.from(config), new Explainer()));
            }
            // The port is taken before anything is created on the cluster: a clash stops start-up with nothing to undo.
            SpotlightApplication[] self = new SpotlightApplication[1];
            MetricsServer server = MetricsServer.bind(http, prometheus,
                    () -> self[0] == null ? new MetricsServer.Health(false, "{\"status\":\"STARTING\"}\n") : self[0].health());
            opened.push(server);
            Topics topics = Topics.from(config);
            if (config.bool("topics.create")) {
                ensureTopics(config, clients, topics);
            }
            SpotlightTopology.Stages stages = SpotlightTopology.Stages.of(config, registry, metrics, Clock.systemUTC());
            publishWindowSettings(stages, metrics);
            Topology topology = SpotlightTopology.build(topics, role, stages);
            log.debug("topology:\n{}", topology.describe());
            Properties props = StreamsSettings.of(config);
            KafkaStreams streams = new KafkaStreams(topology, props);
            opened.push(streams::close);
            KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
            opened.push(streamsMetrics);
            streamsMetrics.bindTo(prometheus);
            RecentEvents recent = null;
            if (config.bool("web.enabled")) {
                recent = new RecentEvents(clients, topics, config.longValue("web.cache-bytes"));
                opened.push(recent);
                new WebView(recent, registry).mount(server);
            }
            self[0] = new SpotlightApplication(registry, metrics, streams, server, streamsMetrics, recent);
            streams.setUncaughtExceptionHandler(e -> {
                self[0].failure = e;
                log.error("stream thread failed; stopping this instance so nothing is skipped", e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.start();
            log.info("spotlight {} running as role {} on {}; metrics at {}/metrics{}", config.get("application.id"),
                    role.name().toLowerCase(java.util.Locale.ROOT), config.get("bootstrap.servers"), server.baseUrl(),
                    recent == null ? "" : ", web view at " + server.baseUrl() + "/ui/");
            return self[0];
        } catch (Exception | Error e) {
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            registry.close();
            throw e;
        }
    }

    /**
     * The window length and the smallest judged window as gauges, so dashboards and Prometheus rules can use the ones in
     * force. Thresholds depend on each window's size and reference: the drift stage exports them per judged window.
     */
    private static void publishWindowSettings(SpotlightTopology.Stages stages, SpotlightMetrics metrics) {
        metrics.gauge("spotlight.drift.window.seconds", "Length of a drift window in seconds (event time)", stages.drift().window().toMillis() / 1000.0);
        metrics.gauge("spotlight.alert.min.explanations", "Fewest explanations a window needs to be judged by the alert rules",
                stages.drift().minExplanations());
    }

    /** The models of models.registry on a device, the engine started on models.threads; a registry that cannot be read is named with its setting. */
    public static ModelRegistry loadRegistry(SpotlightConfig config, String device) {
        DjlRuntime.start(config.integer("models.threads"));
        Path file = Path.of(config.get("models.registry"));
        try {
            return ModelRegistry.load(file, DjlRuntime.device(device));
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException(e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause())
                    + " (models.registry = " + file + ")", e);
        }
    }

    /** Measures the chunk of every model registered with "chunk": "auto". */
    private static void calibrate(ModelRegistry registry, ExplanationPlan plan, int batch) throws Exception {
        for (var model : registry.all()) {
            if (model.settings().calibrate()) {
                Map<Integer, Double> t = Calibration.measure(model, plan, batch);
                int best = Calibration.best(t);
                model.settings(new io.spotlight.model.ModelSettings(best));
                log.info("calibrated {}: chunk {} (ms per batch of {} by chunk: {})", model.card().ref(), best, batch, t);
            }
        }
    }

    private static void ensureTopics(SpotlightConfig config, KafkaClients clients, Topics t) throws Exception {
        try (Admin admin = clients.admin("spotlight-topics")) {
            List<String> names = new ArrayList<>(t.all());
            SourceTopic.from(config).stream().map(SourceTopic::topic).filter(n -> !names.contains(n)).forEach(names::add);
            Topics.ensure(admin, names, config.integer("topics.partitions"), (short) config.integer("topics.replication"));
        }
    }

    /** A poll's records, each possibly completing a batch, must be explained within max.poll.interval.ms. */
    private static void checkPollSizing(SpotlightConfig config, Map<String, Double> msPerRecord) {
        double worst = msPerRecord.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        long budget = config.longValue("explain.max-poll-interval-ms");
        double needed = worst * config.integer("explain.max-poll-records");
        log.info("explain time per record after warm-up (ms): {}", msPerRecord);
        if (needed > budget / 2.0) {
            log.warn("a poll of {} records may take {} ms to explain, over half of max.poll.interval.ms ({}); "
                    + "lower explain.max-poll-records or raise explain.max-poll-interval-ms",
                    config.integer("explain.max-poll-records"), Math.round(needed), budget);
        }
    }

    public MetricsServer.Health health() {
        KafkaStreams.State state = streams.state();
        boolean up = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
        String error = failure == null ? "" : ",\"error\":" + io.spotlight.events.Json.text(Secrets.redact(String.valueOf(failure)));
        return new MetricsServer.Health(up, "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"streams\":\"" + state + "\"" + error + "}\n");
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.state() == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (failure != null || streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public Throwable failure() {
        return failure;
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
        streams.close(Duration.ofSeconds(30));
        streamsMetrics.close();
        server.close();
        registry.close();
    }
}

package io.spotlight.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.spotlight.app.SpotlightApplication;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.demo.DemoProducer;
import io.spotlight.demo.DemoTraffic;
import io.spotlight.demo.TrafficFormat;
import io.spotlight.events.AlertEvent;
import io.spotlight.events.DriftEvent;
import io.spotlight.events.DriftFigures;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Json;
import io.spotlight.events.MisclassificationEvent;
import io.spotlight.focus.WindowStatistic;
import io.spotlight.kafka.ApplicationAcls;
import io.spotlight.kafka.EmbeddedKafka;
import io.spotlight.kafka.KafkaClients;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.model.ModelRegistry;
import io.spotlight.replay.Bound;
import io.spotlight.replay.DirectorySink;
import io.spotlight.replay.ReplayRunner;
import io.spotlight.replay.ReportWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs everything on this machine: a real Kafka broker in this JVM (KRaft, 127.0.0.1 only), a producer that runs the shipped models over their sample inputs and publishes real prediction events (with a few broken ones), Spotlight explaining them live, and the /metrics endpoint. Stops on Ctrl-C, after --duration, or after --events.")
final class DemoCommand implements Callable<Integer> {

    /** Who the demo's clients are on a --secure broker. */
    static final String USER = "spotlight";

    @Mixin
    ConfigOptions options;

    @Mixin
    TrafficOptions traffic;

    @Option(names = "--metrics-port", description = "Port of /metrics and /health on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 = any).", defaultValue = "9404")
    int metricsPort;

    @Option(names = "--secure", description = "Secure the in-process broker as a production cluster is: SASL/SCRAM-SHA-512 logins and ACLs (those `spotlight acls` lists, no more); Spotlight, its producer and its readers all connect as User:spotlight with a password made for this run.")
    boolean secure;

    @Option(names = "--quiet", description = "No progress line.")
    boolean quiet;

    @Option(names = "--audit", paramLabel = "DIR",
            description = "At the end, replay the whole predictions topic as an auditor would (spotlight replay) and write the re-explained events and the report to DIR.")
    Path audit;

    @Override
    public Integer call() throws Exception {
        Duration limit = traffic.limit();
        // The in-process broker makes clients warn about internal topics not created yet; a demo
        // does not need to hear it (a real deployment keeps these warnings).
        ((Logger) LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient"))
                .setLevel(Level.ERROR);
        System.out.println("spotlight demo: starting an in-process Kafka broker...");
        // The hook only asks to stop, then holds the JVM until the application and the broker have closed.
        try (GracefulShutdown shutdown = new GracefulShutdown("spotlight-demo-shutdown");
             EmbeddedKafka kafka = secure ? EmbeddedKafka.start(new EmbeddedKafka.Security(secret(), Map.of(), null)) : EmbeddedKafka.start()) {
            Map<String, String> defaults = new LinkedHashMap<>();
            if (secure) {
                String password = secret();
                kafka.createUser(USER, password);
                defaults.putAll(kafka.clientSettings(USER, password));
            }
            defaults.put("bootstrap.servers", kafka.bootstrapServers());
            defaults.put("application.id", "spotlight-demo");
            defaults.put("metrics.port", Integer.toString(metricsPort));
            defaults.put("explain.linger-ms", "100");
            // A short demo needs short windows and a few more baseline explanations per window.
            defaults.put("sampling.baseline-rate", "0.2");
            defaults.put("drift.window-ms", "10000");
            // A short demo scores half its explanations, so each model version's faithfulness rests on tens of records.
            defaults.put("faithfulness.share", "0.5");
            defaults.put("drift.grace-ms", "3000");
            defaults.put("state.dir", Files.createTempDirectory("spotlight-demo-state").toString());
            // One broker: nothing to replicate to.
            defaults.put("topics.replication", "1");
            var config = options.load(defaults);
            if (traffic.format() != TrafficFormat.SPOTLIGHT) {
                if (audit != null) {
                    System.err.println("spotlight demo: --audit replays Spotlight's prediction events; run it with --format spotlight");
                    return 2;
                }
                // Spotlight reads the model server's topics, as a user would point it at theirs.
                config = config.with(Map.of("input.sources", traffic.format().sources(
                        ModelRegistry.ids(Path.of(config.get("models.registry"))), config.get("topics.predictions"))));
                System.out.println("spotlight demo: predictions as " + traffic.format().id() + ", input.sources=" + config.get("input.sources"));
            }
            if (secure) {
                List<AclBinding> acls = new ArrayList<>(ApplicationAcls.application(config, "User:" + USER));
                // The demo's producer plays the model server with the same login.
                acls.addAll(ApplicationAcls.producer(config, "User:" + USER));
                kafka.grant(acls);
                System.out.println("spotlight demo: the broker asks for SASL/" + EmbeddedKafka.SCRAM + " logins and enforces ACLs; every client connects as User:"
                        + USER + ", allowed " + acls.size() + " ACLs (`spotlight acls` lists them)");
            }
            System.out.println("spotlight demo: broker at " + kafka.bootstrapServers() + "; loading models from " + config.get("models.registry"));
            try (SpotlightApplication app = SpotlightApplication.start(config, SpotlightMetrics.prometheus())) {
                if (!app.awaitRunning(Duration.ofSeconds(60))) {
                    System.err.println("spotlight demo: the stream did not start: " + app.state() + " " + app.failure());
                    return 1;
                }
                System.out.println("spotlight demo: running; web view at " + app.server().baseUrl() + "/ui/, metrics at "
                        + app.server().baseUrl() + "/metrics, health at " + app.server().baseUrl() + "/health");
                long incidentFrom = traffic.incidentEvent();
                DemoTraffic events = traffic.demoTraffic(app.models());
                if (events.incident() != null) {
                    System.out.printf(Locale.ROOT, "spotlight demo: from event %d (%.0f s) on, %s serves watermarked images%n",
                            incidentFrom, incidentFrom / traffic.rate, events.incident().model().card().ref());
                }
                try (DemoProducer producer = traffic.producer(events, config)) {
                    Thread t = TrafficOptions.start(producer, "spotlight-demo-producer");
                    try (Progress progress = quiet ? Progress.none() : Progress.start("demo", "events", traffic.expectedEvents())) {
                        long start = System.nanoTime();
                        while (producer.running() && !shutdown.stopRequested() && TrafficOptions.withinLimit(limit, start)) {
                            if (app.failure() != null) {
                                break;
                            }
                            shutdown.awaitStop(1, TimeUnit.SECONDS);
                            show(progress, app.metrics(), producer);
                        }
                        producer.stop();
                        t.join(5000);
                        if (producer.failure() != null) {
                            System.err.println("\nspotlight demo: producer failed: " + producer.failure());
                        }
                        drain(app.metrics(), producer.records(), shutdown);
                        show(progress, app.metrics(), producer);
                    }
                }
                if (app.failure() != null) {
                    System.err.println("spotlight demo: the stream failed: " + app.failure());
                    return 1;
                }
                summary(app, config);
                if (audit != null) {
                    System.out.println("spotlight demo: replaying the whole predictions topic for an audit...");
                    var runner = ReplayRunner.of(config, app.models(), new ReplayRunner.Options(
                            config.get("topics.predictions"), Bound.OPEN, Bound.OPEN,
                            null, null, config.get("topics.explanations"), TrafficOptions.parseDuration(ReplayCommand.DEFAULT_MARGIN),
                            Double.parseDouble(ReplayCommand.DEFAULT_TOLERANCE), "spotlight-demo-audit"));
                    try (DirectorySink sink = new DirectorySink(audit)) {
                        ReplayCommand.replay(runner, sink, new ReportWriter(audit));
                    }
                }
            }
        }
        return 0;
    }

    /** A password for this run only. */
    private static String secret() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Waits (up to 30 s) until every produced event is consumed and every sampled one explained or dead-lettered. */
    private static void drain(SpotlightMetrics m, long sent, GracefulShutdown shutdown) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && !shutdown.stopRequested()) {
            double pending = sent - m.total("spotlight.predictions.consumed");
            double unexplained = m.total("spotlight.predictions.valid") - m.total("spotlight.predictions.skipped")
                    - m.total("spotlight.explanation.events") - m.total("spotlight.dead.letters", "stage", "explain");
            if (pending <= 0 && unexplained <= 0) {
                return;
            }
            Thread.sleep(200);
        }
    }

    private static void summary(SpotlightApplication app, SpotlightConfig config) {
        String topic = config.get("topics.explanations");
        List<ExplanationEvent> published = new ArrayList<>();
        List<AlertEvent> alerts = new ArrayList<>();
        List<MisclassificationEvent> mistakes = new ArrayList<>();
        List<DriftEvent> drift = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.of(config).reader("spotlight-demo-summary")) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : List.of(topic, config.get("topics.alerts"), config.get("topics.misclassifications"), config.get("topics.attention-drift"))) {
                consumer.partitionsFor(t, Duration.ofSeconds(30)).forEach(p -> parts.add(new TopicPartition(t, p.partition())));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(3)) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    quietSince = System.nanoTime();
                }
                records.forEach(r -> {
                    if (r.topic().equals(topic)) {
                        published.add(Json.read(r.value(), ExplanationEvent.class));
                    } else if (r.topic().equals(config.get("topics.alerts"))) {
                        alerts.add(Json.read(r.value(), AlertEvent.class));
                    } else if (r.topic().equals(config.get("topics.misclassifications"))) {
                        mistakes.add(Json.read(r.value(), MisclassificationEvent.class));
                    } else {
                        drift.add(Json.read(r.value(), DriftEvent.class));
                    }
                });
            }
        }
        SpotlightMetrics m = app.metrics();
        System.out.printf(Locale.ROOT, "spotlight demo: %d explanation events committed on '%s' (read_committed); %d dead letters%n",
                published.size(), topic, (long) m.total("spotlight.dead.letters"));
        Map<String, double[]> byMethod = new TreeMap<>();
        for (ExplanationEvent e : published) {
            for (var r : e.explanations()) {
                double[] acc = byMethod.computeIfAbsent(e.model().id() + " " + r.method(), k -> new double[2]);
                acc[0]++;
                acc[1] += r.elapsedMs();
            }
        }
        System.out.println("  model / method                                   count   mean ms per record");
        byMethod.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-48s %5d   %8.2f%n", k, (long) v[0], v[1] / v[0]));
        if (!published.isEmpty()) {
            ExplanationEvent e = published.get(published.size() - 1);
            System.out.printf(Locale.ROOT, "  latest: %s explained %s (%s, %s) with %s; digest %s%n", e.id(), e.predictionId(),
                    e.model(), e.sampling().reason(), e.explanations().stream().map(ExplanationEvent.MethodResult::method).toList(), e.digest());
        }
        System.out.printf(Locale.ROOT, "spotlight demo: %d attention-drift windows; last closed window per model version:%n", drift.size());
        Map<String, DriftEvent> last = new TreeMap<>();
        drift.stream().filter(d -> d.predictedClass().equals("all") && d.figures() != null).forEach(d -> last.put(d.model().toString(), d));
        last.forEach((model, d) -> System.out.printf(Locale.ROOT, "  %-24s window to %s: %3d explanations, JS %.3f, forbidden mass %.3f, centre shift %.3f%n",
                model, d.windowEnd(), d.count(), d.figures().jsDivergence(), d.figures().forbiddenMass(), d.figures().centreShift()));
        Map<String, Map<String, Trust>> trust = trust(published);
        System.out.printf(Locale.ROOT, "spotlight demo: %d alert events, each beside the faithfulness of its window's scored explanations%n",
                alerts.size());
        alerts.forEach(a -> {
            System.out.printf(Locale.ROOT, "  %-8s %-8s %s (examples %s)%n", a.state(), a.severity(), a.message(), a.examplePredictionIds());
            System.out.println("           " + faithfulnessBeside(a.evidence()));
        });
        System.out.println("spotlight demo: faithfulness of the scored explanations (gain: how much better than a random order of the same pixels or words)");
        trust.forEach((model, methods) -> methods.forEach((method, t) -> System.out.printf(Locale.ROOT, "  %-24s %s%n", model, t.line(method))));
        Map<String, Long> byDiagnosis = new TreeMap<>();
        mistakes.forEach(x -> byDiagnosis.merge(x.model() + " " + x.diagnosis().code(), 1L, Long::sum));
        System.out.printf(Locale.ROOT, "spotlight demo: %d misclassifications analysed %s%n", mistakes.size(), byDiagnosis);
        mistakes.stream().filter(x -> x.model().version().contains("shortcut")).findFirst().or(() -> mistakes.stream().findFirst())
                .ifPresent(x -> System.out.printf(Locale.ROOT, "  e.g. %s: predicted %s, true %s (rank %d): %s%n", x.predictionId(),
                        x.predicted().label(), x.trueClass().label(), x.trueClass().rank(), x.diagnosis().text()));
    }

    /**
     * The faithfulness of an alert's window, judged as the untrustworthy-explanations rule judges
     * it: a drop below the reference's gain beyond the null's limit for the window's size says the
     * explanation misleads; within it, the explanation is as faithful as the reference's, so the
     * model changed. Without a reference figure, only the gains' signs are left to go by.
     */
    static String faithfulnessBeside(DriftFigures evidence) {
        DriftFigures.Faith f = evidence == null ? null : evidence.faithfulness();
        if (f == null) {
            return "its window's explanations: none scored";
        }
        String gains = String.format(Locale.ROOT, "its window's %d scored explanations: deletion gain %+.3f, insertion gain %+.3f over a random order",
                f.scored(), f.deletionGain(), f.insertionGain());
        DriftFigures.Limits limit = f.drop() == null || evidence.limits() == null ? null
                : evidence.limits().get(WindowStatistic.FAITHFULNESS_DROP.id());
        if (limit == null) {
            return gains + (f.deletionGain() > 0 && f.insertionGain() > 0
                    ? ": better than random (no reference figure to compare with)" : ": no better than random: do not trust the explanation");
        }
        return gains + String.format(Locale.ROOT, ", %+.3f from the reference's (the null's limit for this window: %+.3f): %s", -f.drop(),
                -limit.high(), f.drop() > limit.high() ? "the explanation no longer beats random as it did: do not trust it"
                        : "as faithful as the reference's: the explanation is right, the model changed");
    }

    /** Mean deletion and insertion gains of one method's scored maps, with their standard errors. */
    record Trust(int n, double deletion, double deletionError, double insertion, double insertionError) {
        /** Fewer scored maps give no usable standard error. */
        static final int MIN_TO_JUDGE = 10;

        /** The gains, and what they say: both over two standard errors above zero, either that far below it, or neither yet. */
        String line(String method) {
            String verdict = n < MIN_TO_JUDGE ? "too few to judge"
                    : deletion > 2 * deletionError && insertion > 2 * insertionError ? "the explanation beats a random order: trustworthy"
                    : deletion < -2 * deletionError || insertion < -2 * insertionError ? "worse than a random order: do not trust it"
                    : "not yet told apart from a random order";
            return String.format(Locale.ROOT, "%s: deletion gain %+.3f ± %.3f, insertion gain %+.3f ± %.3f (%d scored): %s", method, deletion,
                    deletionError, insertion, insertionError, n, verdict);
        }
    }

    /** Per model version and method, the mean gains of the scored explanations. */
    static Map<String, Map<String, Trust>> trust(List<ExplanationEvent> published) {
        Map<String, Map<String, List<double[]>>> gains = new TreeMap<>();
        for (ExplanationEvent e : published) {
            for (var r : e.explanations()) {
                if (r.faithfulness() != null && r.faithfulness().deletion() != null) {
                    gains.computeIfAbsent(e.model().toString(), k -> new TreeMap<>()).computeIfAbsent(r.method(), k -> new ArrayList<>())
                            .add(new double[] {r.faithfulness().deletion().gain(), r.faithfulness().insertion().gain()});
                }
            }
        }
        Map<String, Map<String, Trust>> out = new TreeMap<>();
        gains.forEach((model, methods) -> methods.forEach((method, g) -> {
            double[] mean = new double[2];
            double[] error = new double[2];
            for (int k = 0; k < 2; k++) {
                int col = k;
                mean[k] = g.stream().mapToDouble(v -> v[col]).average().orElse(Double.NaN);
                double var = g.stream().mapToDouble(v -> (v[col] - mean[col]) * (v[col] - mean[col])).sum() / Math.max(1, g.size() - 1);
                error[k] = Math.sqrt(var / g.size());
            }
            out.computeIfAbsent(model, k -> new TreeMap<>()).put(method, new Trust(g.size(), mean[0], error[0], mean[1], error[1]));
        }));
        return out;
    }

    /** The live line: events sent (the bar), then what came of them, the most telling first (a narrow terminal cuts the end). */
    private static void show(Progress progress, SpotlightMetrics m, DemoProducer producer) {
        progress.to(producer.sent()).note(String.format(Locale.ROOT,
                "explained %d  alerts %d  dead-lettered %d  misclassified %d  consumed %d  sampled %d  labels %d",
                (long) m.total("spotlight.explanation.events"), (long) m.total("spotlight.alerts"), (long) m.total("spotlight.dead.letters"),
                (long) m.total("spotlight.misclassifications"), (long) m.total("spotlight.predictions.consumed"),
                (long) (m.total("spotlight.predictions.valid") - m.total("spotlight.predictions.skipped")), producer.labelled()));
    }
}

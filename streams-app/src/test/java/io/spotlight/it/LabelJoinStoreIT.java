package io.spotlight.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.app.SpotlightApplication;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.demo.DemoProducer;
import io.spotlight.demo.DemoTraffic;
import io.spotlight.demo.TrafficFormat;
import io.spotlight.kafka.EmbeddedKafka;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.testing.FaultReport;
import io.spotlight.testing.Repository;
import io.spotlight.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.junit.jupiter.api.Test;

/**
 * The label join's store at 100 predictions per second: it holds each prediction without its input
 * (a reference to its record), so its size per prediction is a fraction of the prediction itself.
 * Measured on the store's changelog (bytes on the broker over the predictions put into it) and
 * projected over the store's retention (the label window on both sides plus its grace, 30 minutes
 * by default).
 */
class LabelJoinStoreIT {

    static final int RATE = 100;
    static final int SECONDS = 20;

    @Test
    void theJoinHoldsReferencesNotInputs() throws Exception {
        Path dir = Files.createTempDirectory("label-join-it");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            SpotlightConfig config = SpotlightConfig.load(null, Map.of(), Map.ofEntries(
                    Map.entry("bootstrap.servers", kafka.bootstrapServers()),
                    Map.entry("application.id", "label-join"),
                    Map.entry("models.registry", Repository.root().resolve("models/registry.json").toString()),
                    Map.entry("metrics.port", "0"),
                    Map.entry("web.enabled", "false"),
                    // Nothing sampled: the run measures the join, not the explanations.
                    Map.entry("sampling.low-confidence", "0"),
                    Map.entry("sampling.margin", "0"),
                    Map.entry("sampling.baseline-rate", "0"),
                    Map.entry("sampling.flags", ""),
                    Map.entry("state.dir", dir.resolve("state").toString())));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                Topics.ensure(admin, Topics.from(config).all(), 3, (short) 1);
                try (SpotlightApplication app = SpotlightApplication.start(config, SpotlightMetrics.prometheus())) {
                    assertThat(app.awaitRunning(Duration.ofSeconds(120))).isTrue();
                    DemoTraffic traffic = DemoTraffic.fromRegistry(app.models(), 23);
                    long events = (long) RATE * SECONDS;
                    long inputBytes = 0;
                    for (long n = 0; n < events; n++) {
                        DemoTraffic.Event e = traffic.next(n, Instant.now());
                        inputBytes += e.broken() ? 0 : e.json().length + e.id().length();
                    }
                    try (DemoProducer producer = new DemoProducer(traffic, kafka.bootstrapServers(), "predictions", TrafficFormat.SPOTLIGHT, RATE, events, Clock.systemUTC(),
                            new DemoProducer.Labels("labels", 0.3, 200))) {
                        producer.run();
                        assertThat(producer.failure()).isNull();
                    }
                    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                    while (app.metrics().total("spotlight.predictions.consumed") < events && System.nanoTime() < deadline) {
                        Thread.sleep(500);
                    }
                    Thread.sleep(2000);
                    double valid = app.metrics().total("spotlight.predictions.valid");
                    // The predictions' side of the join (its changelog: label-join-label-prediction-join-outer-other-join...).
                    long storeBytes = changelogBytes(admin, t -> t.startsWith("label-join-label-prediction-join") && t.contains("other")
                            && t.endsWith("changelog"));
                    double perPrediction = storeBytes / valid;
                    double perInput = inputBytes / valid;
                    double retentionSeconds = 3 * config.longValue("labels.join-window-ms") / 1000.0;
                    FaultReport report = new FaultReport("label-join-store");
                    report.figures().put("events_per_second", RATE).put("predictions", valid)
                            .put("store_bytes_per_prediction", Math.round(perPrediction))
                            .put("prediction_bytes", Math.round(perInput))
                            .put("retention_seconds", retentionSeconds)
                            .put("store_megabytes_at_100_per_second", Math.round(perPrediction * RATE * retentionSeconds / 1e5) / 10.0)
                            .put("with_full_inputs_megabytes", Math.round(perInput * RATE * retentionSeconds / 1e5) / 10.0);
                    report.write();

                    assertThat(valid).isGreaterThan(events * 0.9);
                    assertThat(perPrediction).as("a reference, not the prediction with its input").isLessThan(perInput / 2);
                }
            }
        }
    }

    /** Bytes on the broker's disk for the topics named so, over their partitions. */
    static long changelogBytes(Admin admin, Predicate<String> topic) throws Exception {
        long bytes = 0;
        for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(List.of(1)).allDescriptions().get().values()) {
            for (LogDirDescription d : dirs.values()) {
                for (var e : d.replicaInfos().entrySet()) {
                    if (topic.test(e.getKey().topic())) {
                        bytes += e.getValue().size();
                    }
                }
            }
        }
        assertThat(bytes).as("the join's changelog found").isPositive();
        return bytes;
    }
}

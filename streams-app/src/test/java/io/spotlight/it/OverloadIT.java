package io.spotlight.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.app.SpotlightApplication;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.demo.DemoProducer;
import io.spotlight.demo.DemoTraffic;
import io.spotlight.kafka.EmbeddedKafka;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.testing.FaultReport;
import io.spotlight.testing.Models;
import io.spotlight.testing.TestTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * Overload: predictions at ten times what this instance can explain, for 60 s, every one of them
 * eligible, with the sampling budget on. The budget sheds what cannot be explained (counted), so the
 * consumer lag and the explain buffer stay bounded and the stream never rebalances; once the input
 * stops, the lag goes back to zero. The capacity is the start-up measurement's (a deliberately
 * costly plan, integrated gradients with 200 steps, makes it small); the budget is set well under it.
 */
class OverloadIT {

    static final Duration RUN = Duration.ofSeconds(60);
    static final double BUDGET = 0.3;

    @Test
    void tenTimesTheCapacityForAMinuteIsShedNotQueued() throws Exception {
        Path dir = Files.createTempDirectory("overload-it");
        Path registry = dir.resolve("registry.json");
        Files.writeString(registry, "{\"models\": [{\"card\": \"" + Models.shipped("fashion-cnn") + "\", \"chunk\": 16}]}");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            SpotlightConfig config = SpotlightConfig.load(null, Map.of(), Map.ofEntries(
                    Map.entry("bootstrap.servers", kafka.bootstrapServers()),
                    Map.entry("application.id", "overload"),
                    Map.entry("models.registry", registry.toString()),
                    Map.entry("metrics.port", "0"),
                    Map.entry("web.enabled", "false"),
                    Map.entry("sampling.baseline-rate", "1"),
                    Map.entry("explain.plan.default.baseline", "integrated-gradients"),
                    Map.entry("explain.plan.default.low-confidence", "integrated-gradients"),
                    Map.entry("explain.plan.default.small-margin", "integrated-gradients"),
                    Map.entry("explain.plan.default.flagged", "integrated-gradients"),
                    Map.entry("explain.method.integrated-gradients.steps", "200"),
                    // Far under what even a slow host explains with that plan: 0.3 per second over the 3 partitions.
                    Map.entry("sampling.budget-per-second", Double.toString(BUDGET / 3)),
                    Map.entry("sampling.budget-burst", "2"),
                    Map.entry("state.dir", dir.resolve("state").toString())));
            TestTopics.ensure(kafka.bootstrapServers(), config);
            try (SpotlightApplication app = SpotlightApplication.start(config, SpotlightMetrics.prometheus());
                 Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                assertThat(app.awaitRunning(Duration.ofSeconds(120))).isTrue();
                double capacity = 1 / app.metrics().registry().find("spotlight.explain.record.seconds").gauge().value();
                double rate = Math.max(5, 10 * capacity);
                DemoTraffic traffic = DemoTraffic.fromRegistry(app.models(), 19);
                long events = (long) (rate * RUN.toSeconds());
                long maxLag = 0;
                double maxBuffered = 0;
                try (DemoProducer producer = new DemoProducer(traffic, kafka.bootstrapServers(), "predictions", rate, events, Clock.systemUTC())) {
                    Thread feed = new Thread(producer, "overload-producer");
                    feed.start();
                    while (feed.isAlive()) {
                        Thread.sleep(2000);
                        maxLag = Math.max(maxLag, lag(admin));
                        maxBuffered = Math.max(maxBuffered, app.metrics().registry().find("spotlight.explain.buffered").gauges().stream()
                                .mapToDouble(g -> g.value()).filter(v -> !Double.isNaN(v)).sum());
                    }
                    assertThat(producer.failure()).isNull();
                }
                long drained = System.nanoTime();
                while (lag(admin) > 0 && System.nanoTime() - drained < Duration.ofSeconds(90).toNanos()) {
                    Thread.sleep(500);
                }
                double drainSeconds = (System.nanoTime() - drained) / 1e9;
                SpotlightMetrics m = app.metrics();
                double shed = m.total("spotlight.predictions.skipped", "reason", "budget");
                double rebalances = m.registry().find("spotlight.stream.rebalances").counter().count();
                FaultReport report = new FaultReport("overload");
                report.figures().put("capacity_per_second", round(capacity)).put("input_per_second", round(rate)).put("seconds", RUN.toSeconds())
                        .put("budget_per_second", BUDGET).put("consumed", m.total("spotlight.predictions.consumed"))
                        .put("explained", m.total("spotlight.explanation.events")).put("shed", shed).put("max_consumer_lag", maxLag)
                        .put("max_explain_buffered", maxBuffered).put("lag_drained_seconds", round(drainSeconds)).put("rebalances", rebalances);
                report.write();

                assertThat(shed).as("shed by the budget, and counted").isGreaterThan(m.total("spotlight.explanation.events"));
                assertThat(rebalances).as("no rebalance").isZero();
                assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
                // Bounded: never a third of the run's input behind, and caught up once it stops.
                assertThat(maxLag).isLessThan(events / 3);
                assertThat(lag(admin)).isZero();
                assertThat(maxBuffered).as("the explain buffer holds about what the budget lets through").isLessThan(events / 10.0);
            }
        }
    }

    /** How far the application's group is behind the end of the predictions topic, over its partitions. */
    static long lag(Admin admin) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets("overload").partitionsToOffsetAndMetadata().get();
        List<TopicPartition> parts = List.of(new TopicPartition("predictions", 0), new TopicPartition("predictions", 1), new TopicPartition("predictions", 2));
        var ends = admin.listOffsets(parts.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get();
        long lag = 0;
        for (TopicPartition p : parts) {
            var c = committed.get(p);
            lag += ends.get(p).offset() - (c == null ? 0 : c.offset());
        }
        return lag;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}

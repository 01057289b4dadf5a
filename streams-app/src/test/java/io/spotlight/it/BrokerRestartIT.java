package io.spotlight.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.app.SpotlightApplication;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.demo.DemoProducer;
import io.spotlight.demo.DemoTraffic;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.sampling.SamplingPolicy;
import io.spotlight.testing.BrokerProcess;
import io.spotlight.testing.Explained;
import io.spotlight.testing.FaultReport;
import io.spotlight.testing.Repository;
import io.spotlight.testing.TestTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * The broker (in a JVM of its own) stopped for 20 s in the middle of a run and started again:
 * Spotlight, left alone, recovers by itself and nothing is lost or duplicated. The time from the
 * broker's return to Spotlight's next explanation is measured.
 */
class BrokerRestartIT {

    static final int EVENTS = 600;

    @Test
    void aBrokerAwayForTwentySecondsCostsNothing() throws Exception {
        Path dir = Files.createTempDirectory("broker-restart-it");
        try (BrokerProcess broker = BrokerProcess.start(dir.resolve("broker"))) {
            SpotlightConfig config = SpotlightConfig.load(null, Map.of(), Map.of(
                    "bootstrap.servers", broker.bootstrapServers(),
                    "application.id", "broker-restart",
                    "models.registry", Repository.root().resolve("models/registry.json").toString(),
                    "metrics.port", "0",
                    "web.enabled", "false",
                    "state.dir", dir.resolve("state").toString()));
            TestTopics.ensure(broker.bootstrapServers(), config);
            try (SpotlightApplication app = SpotlightApplication.start(config, SpotlightMetrics.prometheus())) {
                assertThat(app.awaitRunning(Duration.ofSeconds(120))).isTrue();
                DemoTraffic traffic = DemoTraffic.fromRegistry(app.models(), 11);
                Set<String> sampled = Explained.sampled(traffic, EVENTS, Instant.now(), SamplingPolicy.of(config));
                double recovered;
                try (DemoProducer producer = new DemoProducer(traffic, broker.bootstrapServers(), "predictions", 20, EVENTS, Clock.systemUTC())) {
                    Thread feed = new Thread(producer, "broker-restart-producer");
                    feed.start();
                    while (producer.sent() < EVENTS / 3) {
                        Thread.sleep(100);
                    }
                    broker.stop();
                    Thread.sleep(20_000);
                    double before = app.metrics().total("spotlight.explanation.events");
                    long back = System.nanoTime();
                    broker.start();
                    while (app.metrics().total("spotlight.explanation.events") <= before && System.nanoTime() - back < Duration.ofMinutes(3).toNanos()) {
                        Thread.sleep(100);
                    }
                    recovered = (System.nanoTime() - back) / 1e9;
                    feed.join();
                    assertThat(producer.failure()).isNull();
                }
                Explained out = Explained.read(broker.bootstrapServers(), "explanations", "spotlight-dlq", Duration.ofMinutes(3),
                        e -> e.explanations().keySet().containsAll(sampled));
                FaultReport report = new FaultReport("broker-restart");
                report.outcome(sampled, out).figures().put("events", EVENTS).put("broker_down_seconds", 20)
                        .put("recovery_seconds", Math.round(recovered * 10) / 10.0)
                        .put("stream_thread_failures", app.metrics().registry().find("spotlight.stream.thread.failures").counter().count());
                report.write();

                assertThat(out.lost(sampled)).isEmpty();
                assertThat(out.duplicated()).isEmpty();
                assertThat(app.state()).as("recovered by itself").isEqualTo(KafkaStreams.State.RUNNING);
                assertThat(app.health().up()).isTrue();
            }
        }
    }
}

package io.spotlight.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.demo.DemoProducer;
import io.spotlight.demo.DemoTraffic;
import io.spotlight.kafka.EmbeddedKafka;
import io.spotlight.model.ModelRegistry;
import io.spotlight.sampling.SamplingPolicy;
import io.spotlight.testing.AppProcess;
import io.spotlight.testing.Explained;
import io.spotlight.testing.FaultReport;
import io.spotlight.testing.Repository;
import io.spotlight.testing.TestTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two instances (each in a JVM of its own) share three partitions; one is killed -9 and never comes
 * back: the other takes its partitions over once the dead member's session expires (10 s here), and
 * nothing is lost or duplicated. The takeover time is measured.
 */
class TwoInstancesIT {

    static final int EVENTS = 600;

    @Test
    void theSurvivorTakesOverAndNothingIsLost() throws Exception {
        Path dir = Repository.root().resolve("streams-app/target/fault-suite/two-instances");
        Files.createDirectories(dir);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Map<String, String> settings = new HashMap<>(Map.of(
                    "bootstrap.servers", kafka.bootstrapServers(),
                    "application.id", "two-instances",
                    "models.registry", Repository.root().resolve("models/registry.json").toString(),
                    "web.enabled", "false",
                    "kafka.session.timeout.ms", "10000"));
            SpotlightConfig config = SpotlightConfig.defaults().with(settings);
            TestTopics.ensure(kafka.bootstrapServers(), config);
            Map<String, String> a = new HashMap<>(settings);
            a.put("state.dir", Files.createTempDirectory("instance-a").toString());
            Map<String, String> b = new HashMap<>(settings);
            b.put("state.dir", Files.createTempDirectory("instance-b").toString());
            try (ModelRegistry registry = ModelRegistry.load(Path.of(config.get("models.registry")), Device.cpu());
                 AppProcess survivor = AppProcess.run(a, dir.resolve("a.log"));
                 AppProcess victim = AppProcess.run(b, dir.resolve("b.log"))) {
                DemoTraffic traffic = DemoTraffic.fromRegistry(registry, 13);
                Set<String> sampled = Explained.sampled(traffic, EVENTS, Instant.now(), SamplingPolicy.of(config));
                double takeover;
                try (DemoProducer producer = new DemoProducer(traffic, kafka.bootstrapServers(), "predictions", 20, EVENTS, Clock.systemUTC())) {
                    Thread feed = new Thread(producer, "two-instances-producer");
                    feed.start();
                    survivor.awaitExplaining(Duration.ofMinutes(3));
                    while (victim.health() != 200 || survivor.metric("spotlight_stream_running") < 1 || victim.metric("spotlight_stream_running") < 1) {
                        Thread.sleep(200);
                    }
                    double rebalancesBefore = survivor.metric("spotlight_stream_rebalances_total");
                    victim.kill();
                    long killed = System.nanoTime();
                    // Taken over: the survivor rebalanced and runs again with every task.
                    while (survivor.metric("spotlight_stream_rebalances_total") <= rebalancesBefore || survivor.metric("spotlight_stream_running") < 1) {
                        assertThat(System.nanoTime() - killed).as("takeover").isLessThan(Duration.ofMinutes(3).toNanos());
                        Thread.sleep(200);
                    }
                    takeover = (System.nanoTime() - killed) / 1e9;
                    feed.join();
                    assertThat(producer.failure()).isNull();
                }
                Explained out = Explained.read(kafka.bootstrapServers(), "explanations", "spotlight-dlq", Duration.ofMinutes(4),
                        e -> e.explanations().keySet().containsAll(sampled));
                FaultReport report = new FaultReport("two-instances");
                report.outcome(sampled, out).figures().put("events", EVENTS).put("session_timeout_seconds", 10).put("takeover_seconds", Math.round(takeover * 10) / 10.0);
                report.write();

                assertThat(out.lost(sampled)).isEmpty();
                assertThat(out.duplicated()).isEmpty();
            }
        }
    }
}

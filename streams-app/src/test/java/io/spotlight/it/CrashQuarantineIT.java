package io.spotlight.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.events.DeadLetter;
import io.spotlight.events.Json;
import io.spotlight.kafka.EmbeddedKafka;
import io.spotlight.testing.AppProcess;
import io.spotlight.testing.Directories;
import io.spotlight.testing.Explained;
import io.spotlight.testing.FaultReport;
import io.spotlight.testing.Models;
import io.spotlight.testing.Repository;
import io.spotlight.testing.TestEvents;
import io.spotlight.testing.TestTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A request whose explanation takes the process down every time: the test kills the JVM (-9) the
 * moment an attempt at the poisoned request begins, as a native crash or the kernel's OOM killer
 * would, and restarts it. The attempts counted on disk survive each kill; the third is the last:
 * the request is dead-lettered as explain-crashed, and every other request is explained once.
 */
class CrashQuarantineIT {

    static final int GOOD = 20;

    @Test
    void aRequestThatKillsTheProcessIsQuarantinedAfterThreeAttemptsAndNothingElseIsLost() throws Exception {
        Path dir = Repository.root().resolve("streams-app/target/fault-suite/crash-quarantine");
        Directories.delete(dir);
        Files.createDirectories(dir);
        Path registry = dir.resolve("registry.json");
        Files.writeString(registry, "{\"models\": [{\"card\": \"" + Models.shipped("fashion-cnn") + "\", \"chunk\": 16}]}");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Map<String, String> settings = Map.ofEntries(
                    Map.entry("bootstrap.servers", kafka.bootstrapServers()),
                    Map.entry("application.id", "crash-quarantine"),
                    Map.entry("models.registry", registry.toString()),
                    Map.entry("state.dir", dir.resolve("state").toString()),
                    Map.entry("web.enabled", "false"),
                    Map.entry("sampling.baseline-rate", "0"),
                    // Cheap explanations for the good requests; a long one for the flagged poison, long enough to die in.
                    Map.entry("explain.plan.default.low-confidence", "grad-cam"),
                    Map.entry("explain.plan.default.small-margin", "grad-cam"),
                    Map.entry("explain.plan.default.flagged", "smoothgrad"),
                    Map.entry("explain.method.smoothgrad.samples", "1500"),
                    // Work sizing allows for that plan: small polls, long transactions.
                    Map.entry("explain.max-poll-records", "8"),
                    Map.entry("kafka.producer.transaction.timeout.ms", "300000"));
            SpotlightConfig config = SpotlightConfig.defaults().with(settings);
            TestTopics.ensure(kafka.bootstrapServers(), config);
            Set<String> good = new TreeSet<>();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < GOOD; i++) {
                    String id = "good-" + i;
                    good.add(id);
                    producer.send(new ProducerRecord<>("predictions", id, TestEvents.bytes(TestEvents.image(id, i, TestEvents.lowConfidence(), List.of())
                            .put("timestamp", Instant.now().toString())))).get();
                    if (i == GOOD / 2) {
                        producer.send(new ProducerRecord<>("predictions", "poison", TestEvents.bytes(TestEvents.image("poison", 1, TestEvents.confident(),
                                List.of("user-report")).put("timestamp", Instant.now().toString())))).get();
                    }
                }
            }
            Path attempts = dir.resolve("state/crash-quarantine/explain-attempts");
            List<Integer> killedAtAttempt = new ArrayList<>();
            AppProcess app = AppProcess.run(settings, dir.resolve("spotlight.log"));
            try {
                int seen = 0;
                long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
                while (System.nanoTime() < deadline && killedAtAttempt.size() < 5) {
                    assertThat(app.state()).isEqualTo("running");
                    int attempt = poisonAttempts(attempts);
                    if (attempt > seen) {
                        // An attempt at the poison has begun (and is on disk): die in it.
                        app.kill();
                        killedAtAttempt.add(attempt);
                        seen = attempt;
                        app = AppProcess.run(settings, dir.resolve("spotlight.log"));
                    } else if (attempt == 0 && seen > 0 && app.metric("spotlight_dead_letters_total") > 0) {
                        break;
                    }
                    Thread.sleep(20);
                }
                Explained out = Explained.read(kafka.bootstrapServers(), "explanations", "spotlight-dlq", Duration.ofMinutes(3),
                        e -> e.explanations().keySet().containsAll(good) && e.deadLetters().stream().anyMatch(d -> "poison".equals(d.predictionId())));
                List<DeadLetter> poison = out.deadLetters().stream().filter(d -> "poison".equals(d.predictionId())).toList();
                FaultReport report = new FaultReport("crash-quarantine");
                report.outcome(good, out).figures().put("kills", killedAtAttempt.size())
                        .put("poison", poison.isEmpty() ? "not dead-lettered" : poison.get(0).reason().id());
                report.write();

                assertThat(killedAtAttempt).as("the process died in the poison's first, second and third attempts").containsExactly(1, 2, 3);
                assertThat(poison).singleElement().satisfies(d -> {
                    assertThat(d.reason()).isEqualTo(DeadLetter.Reason.EXPLAIN_CRASHED);
                    assertThat(d.message()).contains("3 tries");
                });
                assertThat(out.lost(good)).isEmpty();
                assertThat(out.duplicated()).isEmpty();
                assertThat(out.explanations()).doesNotContainKey("poison");
            } finally {
                app.close();
            }
        }
    }

    /** The poison's attempt count in this instance's attempt log (0 when it has none). */
    static int poisonAttempts(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            int most = 0;
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                Map<String, JsonNode> counts = Json.MAPPER.readValue(Files.readString(f, StandardCharsets.UTF_8), new TypeReference<Map<String, JsonNode>>() {});
                for (var e : counts.entrySet()) {
                    if (e.getKey().contains(" poison ")) {
                        most = Math.max(most, e.getValue().path("count").asInt());
                    }
                }
            }
            return most;
        } catch (Exception beingWritten) {
            return 0;
        }
    }
}

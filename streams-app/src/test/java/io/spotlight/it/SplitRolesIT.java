package io.spotlight.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.demo.DemoProducer;
import io.spotlight.demo.DemoTraffic;
import io.spotlight.demo.TrafficFormat;
import io.spotlight.events.DeadLetter;
import io.spotlight.kafka.EmbeddedKafka;
import io.spotlight.model.ModelRegistry;
import io.spotlight.sampling.SamplingPolicy;
import io.spotlight.testing.AppProcess;
import io.spotlight.testing.Explained;
import io.spotlight.testing.FaultReport;
import io.spotlight.testing.Repository;
import io.spotlight.testing.TestTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * `run --role gate` and `run --role explain` as separate processes, end to end, with labels (the
 * explain role reads misclassified inputs back from the predictions topic) and with garbage and
 * tombstones written straight onto the explain-requests topic between them: those are
 * dead-lettered, every sampled prediction is explained exactly once.
 */
class SplitRolesIT {

    static final int EVENTS = 400;

    @Test
    void gateAndExplainProcessesExplainEverySampledPredictionOnceAndDeadLetterWhatElseComes() throws Exception {
        Path dir = Repository.root().resolve("streams-app/target/fault-suite/split-roles");
        Files.createDirectories(dir);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Map<String, String> settings = new HashMap<>(Map.of(
                    "bootstrap.servers", kafka.bootstrapServers(),
                    "models.registry", Repository.root().resolve("models/registry.json").toString(),
                    "web.enabled", "false"));
            SpotlightConfig config = SpotlightConfig.defaults().with(settings);
            TestTopics.ensure(kafka.bootstrapServers(), config);
            Map<String, String> gateSettings = new HashMap<>(settings);
            gateSettings.put("application.id", "roles-gate");
            gateSettings.put("state.dir", Files.createTempDirectory("gate").toString());
            Map<String, String> explainSettings = new HashMap<>(settings);
            explainSettings.put("application.id", "roles-explain");
            explainSettings.put("state.dir", Files.createTempDirectory("explain").toString());
            try (ModelRegistry registry = ModelRegistry.load(Path.of(config.get("models.registry")), Device.cpu());
                 AppProcess gate = AppProcess.run(gateSettings, dir.resolve("gate.log"), "--role", "gate");
                 AppProcess explain = AppProcess.run(explainSettings, dir.resolve("explain.log"), "--role", "explain")) {
                DemoTraffic traffic = DemoTraffic.fromRegistry(registry, 17);
                Set<String> sampled = Explained.sampled(traffic, EVENTS, Instant.now(), SamplingPolicy.of(config));
                try (DemoProducer producer = new DemoProducer(traffic, kafka.bootstrapServers(), "predictions", TrafficFormat.SPOTLIGHT, 20, EVENTS, Clock.systemUTC(),
                        new DemoProducer.Labels("labels", 0.3, 20));
                     KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                             new ByteArraySerializer(), new ByteArraySerializer())) {
                    Thread feed = new Thread(producer, "split-roles-producer");
                    feed.start();
                    explain.awaitExplaining(Duration.ofMinutes(3));
                    for (String garbage : List.of("{\"event\": ", "\u00ff\u00fe", "{\"event\": {\"id\": 7}}")) {
                        raw.send(new ProducerRecord<>("spotlight-explain-requests", "garbage".getBytes(StandardCharsets.UTF_8),
                                garbage.getBytes(StandardCharsets.ISO_8859_1))).get();
                    }
                    for (int i = 0; i < 2; i++) {
                        raw.send(new ProducerRecord<>("spotlight-explain-requests", ("tombstone-" + i).getBytes(StandardCharsets.UTF_8), null)).get();
                    }
                    feed.join();
                    assertThat(producer.failure()).isNull();
                }
                Explained out = Explained.read(kafka.bootstrapServers(), "explanations", "spotlight-dlq", Duration.ofMinutes(4),
                        e -> e.explanations().keySet().containsAll(sampled)
                                && e.deadLetters().stream().filter(d -> d.source().topic().equals("spotlight-explain-requests")).count() >= 5);
                List<DeadLetter> onRequests = out.deadLetters().stream().filter(d -> d.source().topic().equals("spotlight-explain-requests")).toList();
                FaultReport report = new FaultReport("split-roles");
                report.outcome(sampled, out).figures().put("events", EVENTS).put("misclassifications", explain.metric("spotlight_misclassifications_total"));
                onRequests.forEach(d -> report.figures().withArray("explain_request_letters").add(d.reason().id() + " (" + d.stage() + ")"));
                report.write();

                assertThat(out.lost(sampled)).isEmpty();
                assertThat(out.duplicated()).isEmpty();
                assertThat(onRequests).extracting(d -> d.reason().id()).containsExactlyInAnyOrder(
                        "malformed-json", "malformed-json", "schema-invalid", "tombstone", "tombstone");
                assertThat(explain.metric("spotlight_misclassifications_total")).as("analyses read their input back").isPositive();
                assertThat(gate.health()).isEqualTo(200);
                assertThat(explain.health()).isEqualTo(200);
            }
        }
    }
}

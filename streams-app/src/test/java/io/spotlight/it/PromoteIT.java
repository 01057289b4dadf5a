package io.spotlight.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.cli.SpotlightCli;
import io.spotlight.events.EncodedMap;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.FocusStats;
import io.spotlight.events.Json;
import io.spotlight.events.ModelRef;
import io.spotlight.events.ReferenceFile;
import io.spotlight.focus.FocusCalculator;
import io.spotlight.focus.FocusSettings;
import io.spotlight.kafka.EmbeddedKafka;
import io.spotlight.model.ModelCard;
import io.spotlight.testing.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import io.spotlight.topology.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `spotlight promote` on a real broker: the explanations one version published become the model's
 * pinned reference (only that version's, with their sample), and every registry entry of the model
 * points at it.
 */
class PromoteIT {

    @TempDir
    Path dir;

    static ExplanationEvent event(String id, String version, FocusStats focus) {
        Instant at = Instant.parse("2026-11-24T10:00:00Z");
        var cls = new ExplanationEvent.ClassRef(1, "Trouser", 0.9);
        return new ExplanationEvent("expl-" + id, id, new ModelRef("fashion-cnn", version), at, at,
                new ExplanationEvent.Sampling("baseline", List.of("baseline"), 0.9, 0.5), cls, cls,
                List.of(new ExplanationEvent.MethodResult("grad-cam", Map.of(), EncodedMap.of(new float[] {1f}, 1), null, Map.of(), 1.0)),
                focus, null, new ExplanationEvent.EngineInfo("PyTorch", "2.7.1", "0.36.0", "cpu()", "test"), "sha256:" + "0".repeat(64));
    }

    @Test
    void aVersionsPublishedFocusBecomesTheModelsPinnedReference() throws Exception {
        Path registry = dir.resolve("registry.json");
        Files.writeString(registry, Json.MAPPER.writeValueAsString(Map.of("models", List.of(
                Map.of("card", Repository.root().resolve("models/fashion-cnn/model.json").toString(), "chunk", 16),
                Map.of("card", Repository.root().resolve("models/fashion-cnn-shortcut/model.json").toString(), "chunk", 16)))));
        FocusSettings settings = FocusSettings.of(ModelCard.load(Repository.root().resolve("models/fashion-cnn/model.json")));
        float[] corner = new float[28 * 28];
        corner[27 * 28 + 27] = 1;
        float[] centre = new float[28 * 28];
        centre[14 * 28 + 14] = 1;
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                     new StringSerializer(), new ByteArraySerializer())) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                Topics.ensure(admin, List.of("explanations"), 2, (short) 1);
            }
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>("explanations", "k" + i, Json.bytes(event("v2-" + i, "2-shortcut",
                        FocusCalculator.image("grad-cam", corner, 28, 28, settings)))));
                producer.send(new ProducerRecord<>("explanations", "c" + i, Json.bytes(event("v1-" + i, "1",
                        FocusCalculator.image("grad-cam", centre, 28, 28, settings)))));
            }
            producer.flush();
            Path out = dir.resolve("promoted.json");
            int code = SpotlightCli.commandLine().execute("promote", "--model-id", "fashion-cnn", "--version", "2-shortcut", "--out", out.toString(),
                    "--set", "bootstrap.servers=" + kafka.bootstrapServers(), "--set", "models.registry=" + registry, "--set", "models.device=cpu");
            assertThat(code).isZero();
            ReferenceFile ref = ReferenceFile.load(out);
            assertThat(ref.classes().get("all").count()).as("only the promoted version's explanations").isEqualTo(30);
            assertThat(ref.classes().get("all").forbidden()).as("all in the corner, as version 2-shortcut looked").isEqualTo(1.0);
            assertThat(ref.classes().get("all").sample()).hasSize(30);
            JsonNode written = Json.MAPPER.readTree(registry.toFile());
            assertThat(written.path("models")).hasSize(2).allSatisfy(e -> assertThat(e.path("reference").asText()).isEqualTo("promoted.json"));
            assertThat(written.path("models").get(0).path("chunk").asInt()).as("the rest of the entry kept").isEqualTo(16);
        }
    }
}

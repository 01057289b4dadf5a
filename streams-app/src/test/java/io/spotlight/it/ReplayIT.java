package io.spotlight.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spotlight.app.SpotlightApplication;
import io.spotlight.cli.SpotlightCli;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.demo.DemoProducer;
import io.spotlight.demo.DemoTraffic;
import io.spotlight.events.EncodedMap;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Json;
import io.spotlight.kafka.EmbeddedKafka;
import io.spotlight.kafka.KafkaClients;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.testing.Repository;
import io.spotlight.testing.SteppingClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Audit replays on a real broker, through the replay command: the application explains 300
 * predictions and stops; a replay of the whole range re-explains every sampled one identically;
 * a tampered published explanation is reported as different; a time-bounded replay sees exactly
 * the records inside its range; a what-if replay with another version reports how it differs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayIT {

    static final Instant T0 = SteppingClock.anHourAgo();
    static final Path ROOT = Repository.root();
    static EmbeddedKafka kafka;
    static long published;
    static Path out;

    @BeforeAll
    static void explainThreeHundredPredictions() throws Exception {
        kafka = EmbeddedKafka.start();
        // Under target/, so the reports stay for people to look at.
        out = ROOT.resolve("streams-app/target/replay-it");
        if (Files.exists(out)) {
            try (var walk = Files.walk(out)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        Files.createDirectories(out);
        SpotlightConfig config = SpotlightConfig.load(null, Map.of(), Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "application.id", "replay-it-live",
                "models.registry", ROOT.resolve("models/registry.json").toString(),
                "metrics.port", "0",
                "web.enabled", "false",
                "sampling.baseline-rate", "0.2",
                "explain.linger-ms", "100",
                "state.dir", out.resolve("state").toString()));
        try (SpotlightApplication app = SpotlightApplication.start(config, SpotlightMetrics.prometheus())) {
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
            DemoTraffic traffic = DemoTraffic.fromRegistry(app.models(), 5);
            try (DemoProducer p = new DemoProducer(traffic, kafka.bootstrapServers(), "predictions", 500, 300,
                    new SteppingClock(T0, Duration.ofMillis(100)))) {
                p.run();
                assertThat(p.failure()).isNull();
                assertThat(p.sent()).isEqualTo(300);
            }
            SpotlightMetrics m = app.metrics();
            await().atMost(Duration.ofSeconds(120)).until(() -> m.total("spotlight.predictions.consumed") == 300
                    && m.total("spotlight.explanation.events") == m.total("spotlight.predictions.valid") - m.total("spotlight.predictions.skipped"));
            published = (long) m.total("spotlight.explanation.events");
        }
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    static JsonNode replay(String name, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("replay", "--set", "bootstrap.servers=" + kafka.bootstrapServers(),
                "--set", "models.registry=" + ROOT.resolve("models/registry.json"), "--set", "sampling.baseline-rate=0.2",
                "--out", out.resolve(name) + "/"));
        all.addAll(List.of(args));
        int exit = SpotlightCli.commandLine().execute(all.toArray(String[]::new));
        JsonNode report = Json.MAPPER.readTree(out.resolve(name).resolve("report.json").toFile());
        assertThat(out.resolve(name).resolve("report.html")).exists();
        ((ObjectNode) report).put("exit", exit);
        return report;
    }

    @Test
    @Order(1)
    void replayingTheWholeRangeReproducesEveryPublishedExplanationBitForBit() throws Exception {
        JsonNode r = replay("whole");
        JsonNode c = r.get("counts");
        System.out.println("whole-range replay: " + c + " in " + r.get("seconds").asDouble() + " s");
        assertThat(c.get("scanned").asLong()).isEqualTo(300);
        assertThat(c.get("sampled").asLong()).isEqualTo(published);
        assertThat(c.get("re_explained").asLong()).isEqualTo(published);
        assertThat(c.get("identical").asLong()).as("identical digests").isEqualTo(published);
        assertThat(c.get("different").asLong()).isZero();
        assertThat(c.get("missing_from_original").asLong()).isZero();
        assertThat(c.get("extra").asLong()).isZero();
        assertThat(r.get("exit").asInt()).isZero();
        assertThat(Files.readAllLines(out.resolve("whole/explanations.jsonl"))).hasSize((int) published);
        assertThat(r.get("model_versions").size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    @Order(2)
    void aTamperedPublishedExplanationIsReportedAsDifferent() throws Exception {
        ExplanationEvent victim = firstPublishedImageExplanation();
        var m = victim.explanations().get(0);
        float[] values = m.map().values();
        values[values.length / 2] += 0.5f;
        var forged = new ExplanationEvent.MethodResult(m.method(), m.parameters(), EncodedMap.of(values, m.map().shape()), m.tokens(),
                m.summary(), m.elapsedMs());
        List<ExplanationEvent.MethodResult> methods = new ArrayList<>(victim.explanations());
        methods.set(0, forged);
        ExplanationEvent tampered = new ExplanationEvent(victim.id(), victim.predictionId(), victim.model(), victim.timestamp(),
                victim.predictionTimestamp(), victim.sampling(), victim.predicted(), victim.target(), methods, victim.focus(), victim.agreement(),
                victim.attributes(), victim.engine(), victim.digest());
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>("explanations", null, victim.predictionTimestamp().toEpochMilli(), victim.id(), Json.bytes(tampered))).get();
        }
        JsonNode r = replay("tampered");
        JsonNode c = r.get("counts");
        assertThat(c.get("different").asLong()).isEqualTo(1);
        assertThat(c.get("identical").asLong()).isEqualTo(published - 1);
        JsonNode d = r.get("differences").get(0);
        assertThat(d.get("prediction_id").asText()).isEqualTo(victim.predictionId());
        assertThat(d.get("verdict").asText()).as("the forged maps no longer match the published digest").isEqualTo("tampered");
        assertThat(d.get("methods").get(0).get("max_abs").asDouble()).isCloseTo(0.5, Offset.offset(1e-6));
        assertThat(out.resolve("tampered").resolve(d.get("picture").asText())).exists();
        assertThat(r.get("exit").asInt()).isEqualTo(3);

        // A genuine copy published after the forged one does not hide it.
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>("explanations", null, victim.predictionTimestamp().toEpochMilli(), victim.id(), Json.bytes(victim))).get();
        }
        JsonNode again = replay("tampered-then-genuine");
        assertThat(again.get("counts").get("different").asLong()).isEqualTo(1);
        assertThat(again.get("differences").get(0).get("verdict").asText()).isEqualTo("tampered");
    }

    @Test
    @Order(3)
    void aTimeBoundedReplaySeesExactlyTheRecordsInsideItsRange() throws Exception {
        JsonNode r = replay("bounded", "--from", T0.plusSeconds(10).toString(), "--to", T0.plusSeconds(20).toString(), "--compare", "none");
        assertThat(r.get("counts").get("scanned").asLong()).as("predictions 100..199, 100 ms apart").isEqualTo(100);
        JsonNode offsets = replay("by-offset", "--from", "0", "--to", "10", "--compare", "none");
        assertThat(offsets.get("counts").get("scanned").asLong()).as("offsets 0..9 of each partition").isEqualTo(30);
    }

    @Test
    @Order(4)
    void aWhatIfReplayWithAnotherVersionReportsHowTheExplanationsDiffer() throws Exception {
        JsonNode r = replay("what-if", "--model", "fashion-cnn", "--model-version", "2-shortcut");
        JsonNode c = r.get("counts");
        assertThat(c.get("what_if").asLong()).isPositive();
        assertThat(c.get("other_models").asLong()).isPositive();
        assertThat(r.get("model_versions").has("fashion-cnn:2-shortcut")).isTrue();
        assertThat(r.get("what_if").get("grad-cam").get("mean_js_divergence").asDouble()).isPositive();
    }

    @Test
    @Order(5)
    void anOutputTopicThatRefusesSomeEventsFailsTheAuditAndSaysWhich() throws Exception {
        // A topic whose records may not exceed the median size of a published explanation: the larger re-explained events are refused.
        List<Integer> sizes = committed("explanations").stream().map(v -> v.length).sorted().toList();
        int limit = sizes.get(sizes.size() / 2);
        try (var admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("audit-small", 1, (short) 1)
                    .configs(Map.of("max.message.bytes", Integer.toString(limit))))).all().get();
        }
        Path reportDir = out.resolve("lost");
        int exit = SpotlightCli.commandLine().execute("replay", "--set", "bootstrap.servers=" + kafka.bootstrapServers(),
                "--set", "models.registry=" + ROOT.resolve("models/registry.json"), "--set", "sampling.baseline-rate=0.2",
                "--out", "audit-small", "--report", reportDir.toString());
        JsonNode r = Json.MAPPER.readTree(reportDir.resolve("report.json").toFile());
        long lost = r.get("counts").get("lost").asLong();
        long delivered = committed("audit-small").size();
        assertThat(r.get("counts").get("re_explained").asLong()).isEqualTo(published);
        assertThat(lost).as("refused by the topic").isPositive();
        assertThat(delivered).isPositive();
        assertThat(lost + delivered).as("every re-explained event accounted for").isEqualTo(published);
        assertThat(r.get("lost")).hasSize((int) lost);
        assertThat(r.get("lost").get(0).asText()).contains("pred-");
        assertThat(exit).as("a lost audit copy fails the audit").isEqualTo(3);
        assertThat(Files.readString(reportDir.resolve("report.html"))).contains("lost on the way to the output");
    }

    /** The values of a topic's committed records, read to its end. */
    static List<byte[]> committed(String topic) {
        List<byte[]> values = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.plaintext(kafka.bootstrapServers()).reader("replay-it-" + topic)) {
            var parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            var ends = consumer.endOffsets(parts);
            while (parts.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }

    static ExplanationEvent firstPublishedImageExplanation() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "replay-it-tamper",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("explanations"));
            for (int i = 0; i < 50; i++) {
                for (var rec : consumer.poll(Duration.ofMillis(500))) {
                    ExplanationEvent e = Json.read(rec.value(), ExplanationEvent.class);
                    if (e.model().id().equals("fashion-cnn")) {
                        return e;
                    }
                }
            }
        }
        throw new IllegalStateException("no published fashion-cnn explanation");
    }
}

package io.spotlight.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spotlight.app.SpotlightApplication;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.events.DeadLetter;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Json;
import io.spotlight.kafka.EmbeddedKafka;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.testing.FaultReport;
import io.spotlight.testing.HostileImages;
import io.spotlight.testing.Models;
import io.spotlight.testing.SampleImages;
import io.spotlight.testing.TestEvents;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A corpus of hostile records on a real broker, written straight onto the input topics: each kind
 * is dead-lettered with its reason (and a letter that fits in one record, whatever the record's
 * size) while the stream stays RUNNING, and records that are odd but valid (16-bit and transparent
 * images, a huge key, a 512 x 512 image whose map is larger than a record) are explained. The
 * predictions topic takes 4 MB records, so a 2 MB one reaches Spotlight.
 */
class HostileRecordsIT {

    static EmbeddedKafka kafka;
    static SpotlightApplication app;

    /** One hostile kind: what is sent where, and the reason its letter must give. */
    record Kind(String name, String topic, byte[] key, byte[] value, List<Header> headers, DeadLetter.Reason reason) {}

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("predictions", 3, (short) 1).configs(Map.of("max.message.bytes", "4194304")))).all().get();
        }
        Path dir = Files.createTempDirectory("hostile-it");
        Path registry = dir.resolve("registry.json");
        Files.writeString(registry, """
                {"models": [{"card": "%s", "chunk": 16}, {"card": "%s", "chunk": 32}, {"card": "%s", "chunk": 4}]}
                """.formatted(Models.shipped("fashion-cnn"), Models.shipped("review-sentiment"), Models.testOnly("wide-probe")));
        app = SpotlightApplication.start(SpotlightConfig.load(null, Map.of(), Map.ofEntries(
                Map.entry("bootstrap.servers", kafka.bootstrapServers()),
                Map.entry("application.id", "hostile-it"),
                Map.entry("models.registry", registry.toString()),
                Map.entry("metrics.port", "0"),
                Map.entry("web.enabled", "false"),
                Map.entry("sampling.baseline-rate", "1"),
                Map.entry("input.max-age-ms", "86400000"),
                Map.entry("labels.join-window-ms", "2000"),
                Map.entry("explain.linger-ms", "100"),
                Map.entry("state.dir", dir.resolve("state").toString()))), SpotlightMetrics.prometheus());
        assertThat(app.awaitRunning(Duration.ofSeconds(120))).isTrue();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static ObjectNode cnn(String id) {
        return TestEvents.image(id, 4, TestEvents.lowConfidence(), List.of()).put("timestamp", Instant.now().toString());
    }

    static ObjectNode text(String id, String text) {
        ObjectNode e = TestEvents.base(id, "review-sentiment", "1", new double[] {0.45, 0.55}).put("timestamp", Instant.now().toString());
        e.putObject("input").put("kind", "text").put("text", text);
        return e;
    }

    static ObjectNode image(String id, String format, byte[] data) {
        ObjectNode e = cnn(id);
        e.putObject("input").put("kind", "image").put("format", format).put("data", Base64.getEncoder().encodeToString(data));
        return e;
    }

    static ObjectNode tensorWithShape(String id, int... shape) {
        ObjectNode e = TestEvents.tensor(id, new float[] {1f}, 1).put("timestamp", Instant.now().toString());
        var s = e.withObject("/input").putArray("shape");
        for (int d : shape) {
            s.add(d);
        }
        return e;
    }

    static byte[] label(String predictionId, int trueClass, Instant at) {
        return utf8("{\"prediction_id\": \"" + predictionId + "\", \"true_class\": " + trueClass + ", \"timestamp\": \"" + at + "\"}");
    }

    static Kind prediction(String name, byte[] value, DeadLetter.Reason reason) {
        return new Kind(name, "predictions", utf8("key-" + name), value, List.of(), reason);
    }

    static List<Kind> corpus() {
        Instant now = Instant.now();
        List<Kind> k = new ArrayList<>();
        k.add(prediction("overflowing-shape", TestEvents.bytes(tensorWithShape("h-overflow", Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE)),
                DeadLetter.Reason.WRONG_SHAPE));
        k.add(prediction("zero-size-shape", TestEvents.bytes(tensorWithShape("h-zero", 0, 28, 28)), DeadLetter.Reason.SCHEMA_INVALID));
        k.add(prediction("empty-shape", TestEvents.bytes(tensorWithShape("h-empty")), DeadLetter.Reason.SCHEMA_INVALID));
        k.add(prediction("timestamp-in-2100", TestEvents.bytes(cnn("h-2100").put("timestamp", "2100-01-01T00:00:00Z")), DeadLetter.Reason.BAD_TIMESTAMP));
        k.add(prediction("timestamp-a-week-old", TestEvents.bytes(cnn("h-old").put("timestamp", now.minus(Duration.ofDays(7)).toString())),
                DeadLetter.Reason.BAD_TIMESTAMP));
        k.add(prediction("timestamp-before-1970", TestEvents.bytes(cnn("h-1969").put("timestamp", "1969-12-31T23:59:59Z")), DeadLetter.Reason.BAD_TIMESTAMP));
        k.add(prediction("tombstone", null, DeadLetter.Reason.TOMBSTONE));
        k.add(prediction("empty-value", new byte[0], DeadLetter.Reason.MALFORMED_JSON));
        k.add(prediction("non-utf8-bytes", new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, '{'}, DeadLetter.Reason.MALFORMED_JSON));
        k.add(new Kind("huge-key", "predictions", new byte[512 * 1024], utf8("{\"id\": "), List.of(), DeadLetter.Reason.MALFORMED_JSON));
        k.add(prediction("deep-nesting", utf8("[".repeat(100_000)), DeadLetter.Reason.MALFORMED_JSON));
        k.add(prediction("nesting-within-the-parser-limit", TestEvents.bytes(cnn("h-nested").set("attributes",
                Json.read(utf8("{\"deep\": " + "[".repeat(900) + "]".repeat(900) + "}"), ObjectNode.class))), DeadLetter.Reason.SCHEMA_INVALID));
        k.add(prediction("two-megabytes-of-text", TestEvents.bytes(text("h-long", "so good ".repeat(256 * 1024))), DeadLetter.Reason.OVERSIZED));
        k.add(prediction("duplicate-json-keys", utf8(new String(TestEvents.bytes(cnn("h-dupkeys")), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"id\": \"other\", ")), DeadLetter.Reason.MALFORMED_JSON));
        k.add(prediction("cmyk-jpeg", TestEvents.bytes(image("h-cmyk", "jpeg", HostileImages.cmykJpeg())), DeadLetter.Reason.UNSUPPORTED_INPUT));
        k.add(prediction("gif-declared-png", TestEvents.bytes(image("h-gif", "png", HostileImages.gif())), DeadLetter.Reason.BAD_ENCODING));
        k.add(prediction("png-header-claiming-10-gigapixels", TestEvents.bytes(image("h-bomb", "png", HostileImages.pngClaiming(100_000, 100_000))),
                DeadLetter.Reason.OVERSIZED));
        k.add(prediction("jpeg-header-claiming-4-gigapixels", TestEvents.bytes(image("h-jbomb", "jpeg", HostileImages.jpegClaiming(65_000, 65_000))),
                DeadLetter.Reason.OVERSIZED));
        k.add(prediction("truncated-png", TestEvents.bytes(image("h-cut", "png", Arrays.copyOf(TestEvents.png(SampleImages.raw(1)), 60))),
                DeadLetter.Reason.BAD_ENCODING));
        k.add(prediction("nan-literal", utf8(new String(TestEvents.bytes(cnn("h-nan")), StandardCharsets.UTF_8).replace("0.4,", "NaN,")),
                DeadLetter.Reason.MALFORMED_JSON));
        ObjectNode many = cnn("h-many");
        var p = many.withObject("/prediction").putArray("probabilities");
        for (int i = 0; i < 100_000; i++) {
            p.add(i == 0 ? 1.0 : 0.0);
        }
        many.withObject("/prediction").put("class", 0);
        k.add(prediction("a-hundred-thousand-probabilities", TestEvents.bytes(many), DeadLetter.Reason.INCONSISTENT_PREDICTION));
        k.add(prediction("class-beyond-int", utf8(new String(TestEvents.bytes(cnn("h-int")), StandardCharsets.UTF_8)
                .replace("\"class\":3", "\"class\":2147483648")), DeadLetter.Reason.SCHEMA_INVALID));
        ObjectNode badBase64 = cnn("h-b64");
        badBase64.withObject("/input").put("data", "not*base64!");
        k.add(prediction("bad-base64", TestEvents.bytes(badBase64), DeadLetter.Reason.BAD_ENCODING));
        k.add(prediction("whitespace-text", TestEvents.bytes(text("h-blank", " \t\n ")), DeadLetter.Reason.EMPTY_INPUT));
        ObjectNode textToCnn = cnn("h-text-cnn");
        textToCnn.putObject("input").put("kind", "text").put("text", "hello");
        k.add(prediction("text-to-an-image-model", TestEvents.bytes(textToCnn), DeadLetter.Reason.WRONG_SHAPE));
        k.add(prediction("unknown-model", TestEvents.bytes(TestEvents.base("h-unknown", "not-a-model", "9", TestEvents.lowConfidence())
                .put("timestamp", now.toString()).set("input", Json.read(utf8("{\"kind\": \"text\", \"text\": \"hi\"}"), ObjectNode.class))),
                DeadLetter.Reason.UNKNOWN_MODEL));
        List<Header> flood = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            flood.add(new RecordHeader("h" + i, new byte[1024]));
        }
        k.add(new Kind("header-flood", "predictions", utf8("key-flood"), utf8("{"), flood, DeadLetter.Reason.MALFORMED_JSON));
        // A producer's retry: the same record, so the same key and partition.
        k.add(new Kind("duplicate-prediction", "predictions", utf8("h-good-1"), TestEvents.bytes(cnn("h-good-1")), List.of(), DeadLetter.Reason.DUPLICATE));
        k.add(new Kind("label-for-an-unknown-prediction", "labels", utf8("h-nobody"), label("h-nobody", 1, now), List.of(),
                DeadLetter.Reason.UNKNOWN_PREDICTION));
        k.add(new Kind("label-from-the-future", "labels", utf8("h-good-1"), label("h-good-1", 1, now.plus(Duration.ofDays(30))), List.of(),
                DeadLetter.Reason.BAD_TIMESTAMP));
        k.add(new Kind("label-tombstone", "labels", utf8("h-good-1"), null, List.of(), DeadLetter.Reason.TOMBSTONE));
        k.add(new Kind("label-garbage", "labels", utf8("h-good-1"), utf8("{\"prediction_id\": 4"), List.of(), DeadLetter.Reason.MALFORMED_JSON));
        k.add(new Kind("duplicate-label", "labels", utf8("h-good-2"), label("h-good-2", 3, now), List.of(), DeadLetter.Reason.DUPLICATE));
        return k;
    }

    static byte[] wideImage() {
        BufferedImage img = new BufferedImage(512, 512, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 512; y++) {
            for (int x = 0; x < 512; x++) {
                img.getRaster().setSample(x, y, 0, (x * y) % 251);
            }
        }
        return HostileImages.encode(img, "png");
    }

    @Test
    void everyHostileKindIsDeadLetteredWithItsReasonWhileTheStreamStaysRunning() throws Exception {
        List<Kind> corpus = corpus();
        byte[] grey = SampleImages.raw(2);
        Map<String, byte[]> valid = new LinkedHashMap<>();
        valid.put("h-good-1", TestEvents.bytes(cnn("h-good-1")));
        valid.put("h-good-2", TestEvents.bytes(cnn("h-good-2")));
        valid.put("h-16-bit", TestEvents.bytes(image("h-16-bit", "png", HostileImages.sixteenBitPng(grey, 28, 28))));
        valid.put("h-rgba", TestEvents.bytes(image("h-rgba", "png", HostileImages.rgbaPng(grey, 28, 28))));
        valid.put("h-huge-key", TestEvents.bytes(cnn("h-huge-key")));
        valid.put("h-long-but-allowed", TestEvents.bytes(text("h-long-but-allowed", "so good ".repeat(20_000))));
        ObjectNode wide = TestEvents.base("h-wide", "wide-probe", "1", new double[] {0.4, 0.35, 0.25}).put("timestamp", Instant.now().toString());
        wide.putObject("input").put("kind", "image").put("format", "png").put("data", Base64.getEncoder().encodeToString(wideImage()));
        valid.put("h-wide", TestEvents.bytes(wide));

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            // The valid ones first: the duplicate and the duplicate label repeat them.
            for (var e : valid.entrySet()) {
                byte[] key = e.getKey().equals("h-huge-key") ? new byte[256 * 1024] : utf8(e.getKey());
                producer.send(new ProducerRecord<>("predictions", key, e.getValue())).get();
            }
            producer.send(new ProducerRecord<>("labels", utf8("h-good-2"), label("h-good-2", 3, Instant.now()))).get();
            for (Kind kind : corpus) {
                producer.send(new ProducerRecord<>(kind.topic(), null, kind.key(), kind.value(), kind.headers())).get();
            }
            // Traffic after the corpus moves every partition's stream time past the label window, which closes it.
            for (int i = 0; i < 30; i++) {
                String id = "h-later-" + i;
                producer.send(new ProducerRecord<>("predictions", utf8(id), TestEvents.bytes(cnn(id)))).get();
                producer.send(new ProducerRecord<>("labels", utf8(id), label(id, 4, Instant.now()))).get();
                Thread.sleep(200);
            }
        }

        Map<String, DeadLetter> letters = new HashMap<>();
        Map<String, Integer> letterSizes = new HashMap<>();
        Map<String, ExplanationEvent> explained = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "hostile-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("spotlight-dlq", "explanations"));
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (System.nanoTime() < deadline && !(letters.size() >= corpus.size() && explained.keySet().containsAll(valid.keySet()))) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (r.topic().equals("explanations")) {
                        ExplanationEvent e = Json.read(r.value(), ExplanationEvent.class);
                        explained.put(e.predictionId(), e);
                        return;
                    }
                    DeadLetter d = Json.read(r.value(), DeadLetter.class);
                    String kind = kindOf(corpus, d);
                    letters.put(kind, d);
                    letterSizes.put(kind, r.serializedValueSize() + Math.max(0, r.serializedKeySize()));
                });
            }
        }

        FaultReport report = new FaultReport("hostile-records");
        corpus.forEach(k -> report.figures().withObject("/dead_lettered").put(k.name(),
                Optional.ofNullable(letters.get(k.name())).map(d -> d.reason().id()).orElse("MISSING")));
        valid.keySet().forEach(id -> report.figures().withArray("explained").add(id));
        report.figures().put("kinds", corpus.size());
        report.write();

        for (Kind kind : corpus) {
            assertThat(letters).as("a letter for %s", kind.name()).containsKey(kind.name());
            assertThat(letters.get(kind.name()).reason()).as("%s: %s", kind.name(), letters.get(kind.name()).message()).isEqualTo(kind.reason());
            assertThat(letterSizes.get(kind.name())).as("%s's letter fits in one record", kind.name()).isLessThanOrEqualTo(1_048_576);
        }
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(25);
        DeadLetter big = letters.get("two-megabytes-of-text");
        byte[] whole = corpus.stream().filter(k -> k.name().equals("two-megabytes-of-text")).findFirst().orElseThrow().value();
        assertThat(big.original().isTruncated()).isTrue();
        assertThat(big.original().size()).isEqualTo(whole.length);
        assertThat(big.original().sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(whole)));
        assertThat(whole).startsWith(big.original().bytes());
        assertThat(letters.get("huge-key").source().key().length()).isLessThan(400);
        assertThat(letters.get("header-flood").source().headers()).hasSizeLessThanOrEqualTo(16);

        assertThat(explained).as("odd but valid records are explained").containsKeys(valid.keySet().toArray(String[]::new));
        assertThat(explained.get("h-wide").explanations().get(0).map().shape()).as("a map larger than a record, coarsened").containsExactly(256, 256);
        assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(app.metrics().registry().find("spotlight.stream.thread.failures").counter().count()).isZero();
    }

    /** Which corpus kind a letter is for: by its source key, or by its prediction id. */
    static String kindOf(List<Kind> corpus, DeadLetter d) {
        for (Kind k : corpus) {
            String key = k.key() == null ? null : new String(k.key(), StandardCharsets.UTF_8);
            boolean sameTopic = d.source().topic().equals(k.topic());
            if (k.reason() == DeadLetter.Reason.UNKNOWN_PREDICTION && d.reason() == k.reason()) {
                return k.name();
            }
            if (sameTopic && key != null && key.equals(d.source().key()) && (k.topic().equals("predictions") ? true : d.reason() == k.reason())) {
                return k.name();
            }
            if (k.name().equals("huge-key") && sameTopic && d.source().key() != null && d.source().key().startsWith("\u0000")) {
                return k.name();
            }
        }
        return "unexpected: " + d.reason().id() + " " + d.source() + " " + d.message();
    }
}

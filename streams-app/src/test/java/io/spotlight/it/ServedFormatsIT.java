package io.spotlight.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.app.SpotlightApplication;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.demo.DemoProducer;
import io.spotlight.demo.DemoTraffic;
import io.spotlight.demo.TrafficFormat;
import io.spotlight.events.DeadLetter;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Json;
import io.spotlight.events.PredictionEvent;
import io.spotlight.events.SchemaValidator;
import io.spotlight.kafka.EmbeddedKafka;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.model.ModelRegistry;
import io.spotlight.oip.CloudEvents;
import io.spotlight.oip.Datatype;
import io.spotlight.oip.InferMessage;
import io.spotlight.oip.InferTensor;
import io.spotlight.oip.OipJson;
import io.spotlight.oip.OpenInference.ModelInferRequest;
import io.spotlight.sampling.SamplingPolicy;
import io.spotlight.testing.Repository;
import io.spotlight.testing.SampleImages;
import io.spotlight.testing.ServedMessages;
import io.spotlight.testing.TestEvents;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A model server's topics on a real broker under exactly-once: the demo's traffic as Seldon Core 2
 * would write it (Protobuf requests and responses on each model's topics), and KServe CloudEvents
 * carrying every datatype, become exactly one explanation per sampled prediction; malformed
 * records and disagreeing pairs land on the dead-letter topic with their reasons.
 */
class ServedFormatsIT {

    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void seldonTopicsAndKserveEventsAreExplainedAndTheirFailuresDeadLettered() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String registry = Repository.root().resolve("models/registry.json").toString();
            List<String> models = ModelRegistry.ids(Path.of(registry));
            SpotlightConfig config = SpotlightConfig.load(null, Map.of(), Map.of(
                    "bootstrap.servers", kafka.bootstrapServers(),
                    "application.id", "served-formats-it",
                    "models.registry", registry,
                    "metrics.port", "0",
                    "web.enabled", "false",
                    "sampling.baseline-rate", "0.1",
                    "input.sources", TrafficFormat.OIP_PROTOBUF.sources(models, "predictions") + "," + TrafficFormat.KSERVE_TOPIC + "=cloudevents",
                    "state.dir", Files.createTempDirectory("served-formats-it").toString()));
            try (SpotlightApplication app = SpotlightApplication.start(config, SpotlightMetrics.prometheus())) {
                assertThat(app.awaitRunning(Duration.ofSeconds(60))).as("streams running").isTrue();

                // The demo's traffic as Seldon Core 2 topics; the sampler's choice computed from the same predictions.
                DemoTraffic traffic = DemoTraffic.fromRegistry(app.models(), 11);
                SamplingPolicy policy = new SamplingPolicy(0.6, 0.1, null, 0.1, 0);
                Set<String> expected = new HashSet<>();
                int events = 100;
                for (long n = 0; n < events; n++) {
                    DemoTraffic.Event e = traffic.next(n, T0);
                    if (!e.broken() && policy.decide(Json.read(e.json(), PredictionEvent.class)).sampled()) {
                        expected.add(e.id());
                    }
                }
                try (DemoProducer producer = new DemoProducer(traffic, kafka.bootstrapServers(), "predictions", TrafficFormat.OIP_PROTOBUF,
                        1000, events, Clock.fixed(T0, ZoneOffset.UTC), null)) {
                    producer.run();
                    assertThat(producer.failure()).isNull();
                }

                // Every datatype on the KServe topic, each a low-confidence prediction, so each is explained.
                Map<String, DeadLetter.Reason> failures = new HashMap<>();
                try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        new StringSerializer(), new ByteArraySerializer())) {
                    byte[] pixels = SampleImages.raw(6);
                    float[] tensor = SampleImages.tensor(7);
                    pair(p, "dt-fp32", "fashion-cnn", InferTensor.of("x", Datatype.FP32, new long[] {1, 1, 28, 28}, ServedMessages.littleEndian(tensor)));
                    pair(p, "dt-fp16", "fashion-cnn", InferTensor.of("x", Datatype.FP16, new long[] {1, 1, 28, 28}, fp16(tensor)));
                    pair(p, "dt-uint8", "fashion-cnn", InferTensor.of("x", Datatype.UINT8, new long[] {1, 28, 28}, pixels));
                    pair(p, "dt-int64", "fashion-cnn", InferTensor.of("x", Datatype.INT64, new long[] {1, 1, 28, 28}, int64(pixels)));
                    pair(p, "dt-bytes", "fashion-cnn", InferTensor.of("x", Datatype.BYTES, new long[] {1},
                            InferTensor.rawBytes(List.of(TestEvents.png(pixels)))));
                    pair(p, "dt-text", "review-sentiment", InferTensor.of("x", Datatype.BYTES, new long[] {1},
                            InferTensor.rawBytes(List.of("the zipper was not good".getBytes(StandardCharsets.UTF_8)))));
                    expected.addAll(List.of("dt-fp32", "dt-fp16", "dt-uint8", "dt-int64", "dt-bytes", "dt-text"));

                    // Malformed: bytes no protocol message, an unknown datatype, and a request whose batch its response contradicts.
                    String seldonIn = "seldon.default.model.fashion-cnn.inputs";
                    p.send(new ProducerRecord<>(seldonIn, null, T0.toEpochMilli(), "bad-bytes", new byte[] {(byte) 0xFF, 1, 2}));
                    failures.put("bad-bytes", DeadLetter.Reason.MALFORMED_PROTOBUF);
                    p.send(new ProducerRecord<>(TrafficFormat.KSERVE_TOPIC, null, T0.toEpochMilli(), "bad-type", ("{\"specversion\": \"1.0\", \"id\": "
                            + "\"bad-type\", \"type\": \"" + CloudEvents.REQUEST_TYPE + "\", \"data\": {\"inputs\": [{\"name\": \"x\", \"shape\": [1], "
                            + "\"datatype\": \"COMPLEX64\", \"data\": [1]}]}}").getBytes(StandardCharsets.UTF_8)));
                    failures.put("bad-type", DeadLetter.Reason.UNKNOWN_DATATYPE);
                    ModelInferRequest one = ServedMessages.imageRequest("", "1", 0);
                    ModelInferRequest two = one.toBuilder().setInputs(0, one.getInputs(0).toBuilder().setShape(0, 2))
                            .setRawInputContents(0, one.getRawInputContents(0).concat(one.getRawInputContents(0))).build();
                    p.send(new ProducerRecord<>(seldonIn, null, T0.toEpochMilli(), "bad-batch", two.toByteArray()));
                    p.send(new ProducerRecord<>("seldon.default.model.fashion-cnn.outputs", null, T0.toEpochMilli(), "bad-batch",
                            ServedMessages.logitsResponse("", TestEvents.lowConfidence()).toByteArray()));
                    failures.put("bad-batch", DeadLetter.Reason.SHAPE_MISMATCH);
                }

                SchemaValidator schema = SchemaValidator.of(SchemaValidator.EXPLANATION);
                SchemaValidator letters = SchemaValidator.of(SchemaValidator.DEAD_LETTER);
                List<String> explained = new ArrayList<>();
                Map<String, List<DeadLetter.Reason>> dead = new HashMap<>();
                try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "served-formats-it-reader",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of("explanations", "spotlight-dlq"));
                    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ZERO).untilAsserted(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                            JsonNode json = Json.read(r.value(), JsonNode.class);
                            if (r.topic().equals("spotlight-dlq")) {
                                assertThat(letters.violations(json)).isEmpty();
                                DeadLetter d = Json.MAPPER.convertValue(json, DeadLetter.class);
                                dead.computeIfAbsent(d.source().key(), k -> new ArrayList<>()).add(d.reason());
                                return;
                            }
                            assertThat(schema.violations(json)).as("schema violations of %s", r.key()).isEmpty();
                            explained.add(Json.MAPPER.convertValue(json, ExplanationEvent.class).predictionId());
                        });
                        assertThat(new HashSet<>(explained)).containsAll(expected);
                        assertThat(dead.keySet()).containsAll(failures.keySet());
                    });
                }
                assertThat(explained).doesNotHaveDuplicates();
                assertThat(new HashSet<>(explained)).isEqualTo(expected);
                failures.forEach((key, reason) -> assertThat(dead.get(key)).as(key).containsOnly(reason));
                assertThat(dead.get("bad-batch")).as("the request and the response").hasSize(2);
            }
        }
    }

    /** A KServe request (binary mode) and response (structured mode) for one input tensor, the response low in confidence. */
    private static void pair(KafkaProducer<String, byte[]> p, String id, String model, InferTensor input) throws Exception {
        InferMessage request = new InferMessage(InferMessage.Role.REQUEST, id, model, "1", null, List.of(input));
        double[] probabilities = model.equals("review-sentiment") ? new double[] {0.45, 0.55} : TestEvents.lowConfidence();
        ByteBuffer logits = ByteBuffer.allocate(4 * probabilities.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : probabilities) {
            logits.putFloat((float) Math.log(v));
        }
        InferMessage response = new InferMessage(InferMessage.Role.RESPONSE, id, model, "1", null,
                List.of(InferTensor.of("y", Datatype.FP32, new long[] {1, probabilities.length}, logits.array())));
        var binary = new ProducerRecord<>(TrafficFormat.KSERVE_TOPIC, null, T0.toEpochMilli(), id, OipJson.write(request));
        CloudEvents.binaryHeaders(request, "http://it/", T0).forEach((k, v) -> binary.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        p.send(binary);
        var structured = new ProducerRecord<>(TrafficFormat.KSERVE_TOPIC, null, T0.toEpochMilli(), id, CloudEvents.structured(response, "http://it/", T0));
        structured.headers().add("content-type", CloudEvents.STRUCTURED.getBytes(StandardCharsets.UTF_8));
        p.send(structured);
    }

    /** FP16 by rounding through float's bits: values of a normalised image are well inside binary16's normal range. */
    private static byte[] fp16(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            int bits = Float.floatToIntBits(v);
            int exponent = ((bits >>> 23) & 0xFF) - 127 + 15;
            short half = v == 0 ? 0 : (short) (((bits >>> 16) & 0x8000) | (exponent << 10) | ((bits >>> 13) & 0x3FF));
            b.putShort(half);
        }
        return b.array();
    }

    private static byte[] int64(byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(pixels.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (byte px : pixels) {
            b.putLong(px & 0xFF);
        }
        return b.array();
    }
}

package io.spotlight.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.events.DeadLetter;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Json;
import io.spotlight.events.SchemaValidator;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.model.ModelRegistry;
import io.spotlight.oip.OpenInference.ModelInferRequest;
import io.spotlight.testing.Models;
import io.spotlight.testing.SampleImages;
import io.spotlight.testing.ServedMessages;
import io.spotlight.testing.TestEvents;
import io.spotlight.testing.TopologyDrivers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model server's topics through the whole topology (TopologyTestDriver, the shipped CNN
 * explaining): Seldon-style Protobuf topics, protocol JSON topics and KServe CloudEvents on one
 * topic, joined into predictions that are sampled and explained; every failure dead-lettered.
 */
class ServedInputTopologyTest {

    static final String SELDON_IN = "seldon.default.model.fashion-cnn.inputs";
    static final String SELDON_OUT = "seldon.default.model.fashion-cnn.outputs";
    static final SchemaValidator DEAD_LETTER = SchemaValidator.of(SchemaValidator.DEAD_LETTER);
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @TempDir
    Path stateDir;

    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> seldonIn;
    TestInputTopic<String, byte[]> seldonOut;
    TestInputTopic<String, byte[]> jsonIn;
    TestInputTopic<String, byte[]> jsonOut;
    TestInputTopic<String, byte[]> kserve;
    TestInputTopic<String, byte[]> predictions;
    TestOutputTopic<String, String> explanations;
    TestOutputTopic<String, String> deadLetters;
    SpotlightMetrics metrics;

    @BeforeEach
    void start() {
        SpotlightConfig config = SpotlightConfig.defaults().with(Map.of(
                "sampling.baseline-rate", "0", "explain.batch-size", "1", "input.join-window-ms", "5000",
                "input.sources", SELDON_IN + "=oip-protobuf, " + SELDON_OUT + "=oip-protobuf, v2-requests=oip-json:requests, "
                        + "v2-responses=oip-json:responses, kserve-logs=cloudevents, predictions=spotlight"));
        metrics = new SpotlightMetrics(new SimpleMeterRegistry());
        ModelRegistry registry = new ModelRegistry(List.of(Models.shippedModel("fashion-cnn")));
        Topics topics = Topics.from(config);
        var stages = SpotlightTopology.Stages.of(config, registry, metrics, Clock.systemUTC(), source -> Optional.empty());
        var topology = SpotlightTopology.build(topics, Role.ALL, stages);
        driver = TopologyDrivers.of(topology, stages, "spotlight-served-test", stateDir);
        seldonIn = input(SELDON_IN);
        seldonOut = input(SELDON_OUT);
        jsonIn = input("v2-requests");
        jsonOut = input("v2-responses");
        kserve = input("kserve-logs");
        predictions = input("predictions");
        explanations = driver.createOutputTopic(topics.explanations(), Serdes.String().deserializer(), Serdes.String().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetter(), Serdes.String().deserializer(), Serdes.String().deserializer());
    }

    TestInputTopic<String, byte[]> input(String topic) {
        return driver.createInputTopic(topic, Serdes.String().serializer(), Serdes.ByteArray().serializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aSeldonRequestAndItsResponseAreExplainedAsOnePrediction() throws Exception {
        double[] p = TestEvents.lowConfidence();
        seldonIn.pipeInput("req-1", ServedMessages.imageRequest("", "", 0).toByteArray(), T0);
        seldonOut.pipeInput("req-1", ServedMessages.logitsResponse("", p).toByteArray(), T0.plusMillis(30));

        ExplanationEvent e = Json.MAPPER.readValue(explanations.readValue(), ExplanationEvent.class);
        assertThat(e.predictionId()).as("the record key pairs them").isEqualTo("req-1");
        assertThat(e.model().id()).as("from the topic name").isEqualTo("fashion-cnn");
        assertThat(e.model().version()).as("the card's only version").isEqualTo("1");
        assertThat(e.sampling().reason()).isEqualTo("low-confidence");
        assertThat(e.sampling().top1()).as("softmax of the logits").isCloseTo(0.40, Offset.offset(1e-6));
        assertThat(e.predicted().classIndex()).isEqualTo(3);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void theResponseMayArriveFirst() {
        seldonOut.pipeInput("req-2", ServedMessages.logitsResponse("req-2", TestEvents.lowConfidence()).toByteArray(), T0);
        seldonIn.pipeInput("req-2", ServedMessages.imageRequest("req-2", "1", 1).toByteArray(), T0.plusMillis(5));
        assertThat(explanations.readValuesToList()).hasSize(1);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void protocolJsonFromTheSpecificationsExampleShapeIsJoined() {
        String request = """
                {"id": "42", "inputs": [{"name": "input0", "shape": [1, 1, 28, 28], "datatype": "FP32", "data": %s}],
                 "outputs": [{"name": "output0"}]}""".formatted(Arrays.toString(SampleImages.tensor(2)));
        float[] logits = {-1f, -2f, 0.5f, 3.5f, 0f, -1f, -3f, -2f, 0f, -1f};
        String response = """
                {"model_name": "fashion-cnn", "model_version": "1", "id": "42",
                 "outputs": [{"name": "output0", "shape": [1, 10], "datatype": "FP32", "data": %s}]}""".formatted(Arrays.toString(logits));
        jsonIn.pipeInput(null, request.getBytes(StandardCharsets.UTF_8), T0);
        jsonOut.pipeInput(null, response.getBytes(StandardCharsets.UTF_8), T0.plusMillis(1));
        assertThat(metrics.total("spotlight.predictions.valid")).isEqualTo(1);
        assertThat(metrics.total("spotlight.predictions.skipped")).as("confident (p = %s)", ServedMessages.softmax(logits)[3]).isEqualTo(1);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void kserveCloudEventsInBinaryAndStructuredModeShareATopic() {
        String request = """
                {"inputs": [{"name": "input-0", "shape": [1, 28, 28], "datatype": "UINT8", "data": %s}]}""".formatted(pixels(3));
        String response = """
                {"model_name": "fashion-cnn", "outputs": [{"name": "output-0", "shape": [1, 10], "datatype": "FP32",
                 "data": [0, 0, 0, 0, 0, 0, 0, 0, 0, 9]}]}""";
        RecordHeaders binary = new RecordHeaders();
        Map.of("ce_specversion", "1.0", "ce_id", "kserve-1", "ce_type", "org.kubeflow.serving.inference.request",
                "ce_source", "http://localhost:9081/", "ce_inferenceservicename", "fashion-cnn", "content-type", "application/json")
                .forEach((k, v) -> binary.add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
        kserve.pipeInput(new TestRecord<>("kserve-1", request.getBytes(StandardCharsets.UTF_8), binary, T0));
        String structured = """
                {"specversion": "1.0", "id": "kserve-1", "type": "org.kubeflow.serving.inference.response",
                 "source": "http://localhost:9081/", "time": "2026-11-24T10:00:00.020Z", "datacontenttype": "application/json",
                 "data": %s}""".formatted(response);
        RecordHeaders envelope = new RecordHeaders();
        envelope.add(new RecordHeader("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8)));
        kserve.pipeInput(new TestRecord<>("kserve-1", structured.getBytes(StandardCharsets.UTF_8), envelope, T0.plusMillis(20)));
        assertThat(metrics.total("spotlight.predictions.valid")).isEqualTo(1);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void aResponseWithNoRequestIsDeadLetteredOnceItsWindowCloses() throws Exception {
        byte[] orphan = ServedMessages.logitsResponse("lost", TestEvents.lowConfidence()).toByteArray();
        seldonOut.pipeInput("lost", orphan, T0);
        assertThat(deadLetters.isEmpty()).as("it may still come").isTrue();
        // Stream time moves past window + grace with the next pair.
        seldonIn.pipeInput("later", ServedMessages.imageRequest("later", "1", 0).toByteArray(), T0.plusSeconds(11));
        seldonOut.pipeInput("later", ServedMessages.logitsResponse("later", TestEvents.confident()).toByteArray(), T0.plusSeconds(11));
        DeadLetter d = letter();
        assertThat(d.reason()).isEqualTo(DeadLetter.Reason.RESPONSE_WITHOUT_REQUEST);
        assertThat(d.stage()).isEqualTo("join");
        assertThat(d.source().topic()).isEqualTo(SELDON_OUT);
        assertThat(d.original().bytes()).isEqualTo(orphan);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void malformedMessagesAreDeadLetteredWithTheirReasonAndBytes() throws Exception {
        byte[] garbage = {(byte) 0xFF, 0x01, 0x02};
        seldonIn.pipeInput("g", garbage, T0);
        assertThat(letter()).satisfies(d -> {
            assertThat(d.reason()).isEqualTo(DeadLetter.Reason.MALFORMED_PROTOBUF);
            assertThat(d.stage()).isEqualTo("decode");
            assertThat(d.original().bytes()).isEqualTo(garbage);
        });
        jsonIn.pipeInput("u", "{\"id\": \"u\", \"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP8\", \"data\": [1]}]}"
                .getBytes(StandardCharsets.UTF_8), T0);
        assertThat(letter().reason()).isEqualTo(DeadLetter.Reason.UNKNOWN_DATATYPE);
        ModelInferRequest cut = ServedMessages.imageRequest("cut", "1", 0).toBuilder()
                .setRawInputContents(0, ByteString.copyFrom(new byte[100])).build();
        seldonIn.pipeInput("cut", cut.toByteArray(), T0);
        assertThat(letter().reason()).isEqualTo(DeadLetter.Reason.SHAPE_MISMATCH);
        seldonIn.pipeInput(null, ServedMessages.imageRequest("", "1", 0).toByteArray(), T0);
        assertThat(letter().reason()).isEqualTo(DeadLetter.Reason.MISSING_ID);
        kserve.pipeInput("k", "{\"specversion\": \"1.0\", \"id\": \"k\", \"type\": \"com.example.other\", \"data\": {}}"
                .getBytes(StandardCharsets.UTF_8), T0);
        assertThat(letter().reason()).isEqualTo(DeadLetter.Reason.MALFORMED_CLOUDEVENT);
        assertThat(metrics.total("spotlight.dead.letters")).isEqualTo(5);
    }

    @Test
    void aPairThatDisagreesDeadLettersBothRecords() throws Exception {
        // Two images in the request, one row of scores in the response.
        ModelInferRequest two = ModelInferRequest.newBuilder(ServedMessages.imageRequest("b", "1", 0))
                .setInputs(0, ServedMessages.imageRequest("b", "1", 0).getInputs(0).toBuilder().setShape(0, 2))
                .setRawInputContents(0, ByteString.copyFrom(concat(ServedMessages.littleEndian(SampleImages.tensor(0)),
                        ServedMessages.littleEndian(SampleImages.tensor(1))))).build();
        seldonIn.pipeInput("b", two.toByteArray(), T0);
        seldonOut.pipeInput("b", ServedMessages.logitsResponse("b", TestEvents.confident()).toByteArray(), T0);
        List<DeadLetter> letters = List.of(letter(), letter());
        assertThat(letters).extracting(DeadLetter::reason).containsOnly(DeadLetter.Reason.SHAPE_MISMATCH);
        assertThat(letters).extracting(d -> d.source().topic()).containsExactly(SELDON_IN, SELDON_OUT);
        assertThat(letters.get(0).message()).contains("holds 1 predictions, the request's input 2");
    }

    @Test
    void spotlightsOwnEventsStillFlowBesideThem() {
        predictions.pipeInput("p-1", TestEvents.bytes(TestEvents.image("p-1", 0, TestEvents.lowConfidence(), List.of())), T0);
        assertThat(explanations.readValuesToList()).hasSize(1);
    }

    private DeadLetter letter() throws Exception {
        String json = deadLetters.readValue();
        assertThat(DEAD_LETTER.violations(Json.MAPPER.readTree(json))).isEmpty();
        return Json.MAPPER.readValue(json, DeadLetter.class);
    }

    private static String pixels(int sample) {
        byte[] raw = SampleImages.raw(sample);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < raw.length; i++) {
            b.append(i == 0 ? "" : ",").append(raw[i] & 0xFF);
        }
        return b.append(']').toString();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

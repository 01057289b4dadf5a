package io.spotlight.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.containment.RecordLimits;
import io.spotlight.events.DeadLetter;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Json;
import io.spotlight.events.MisclassificationEvent;
import io.spotlight.events.SchemaValidator;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.model.ModelRegistry;
import io.spotlight.testing.Models;
import io.spotlight.testing.PipedPredictions;
import io.spotlight.testing.SampleImages;
import io.spotlight.testing.TestEvents;
import io.spotlight.testing.TopologyDrivers;
import io.spotlight.validation.TimeBounds;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole topology on TopologyTestDriver with the real shipped CNN explaining. The driver has no
 * broker to read a prediction back from, so misclassification analyses read their input from what
 * the tests piped ({@link PipedPredictions}).
 */
class SpotlightTopologyTest {

    @TempDir
    Path stateDir;

    static final SchemaValidator EXPLANATION = SchemaValidator.of(SchemaValidator.EXPLANATION);
    static final SchemaValidator DEAD_LETTER = SchemaValidator.of(SchemaValidator.DEAD_LETTER);

    TopologyTestDriver driver;
    PipedPredictions predictions;
    TestOutputTopic<String, String> explanations;
    TestOutputTopic<String, String> deadLetters;
    TestInputTopic<String, String> labels;
    TestOutputTopic<String, String> misclassifications;
    SpotlightMetrics metrics;

    @BeforeEach
    void start() {
        start(BatchSize.of(4));
    }

    void start(BatchSize batchSize) {
        SpotlightConfig config = SpotlightConfig.defaults().with(Map.of(
                "sampling.baseline-rate", "0", "explain.batch-size", "4", "input.max-bytes", "200000"));
        metrics = new SpotlightMetrics(new SimpleMeterRegistry());
        ModelRegistry registry = new ModelRegistry(List.of(Models.shippedModel("fashion-cnn")));
        Topics topics = Topics.from(config);
        predictions = new PipedPredictions(topics.predictions());
        var stages = SpotlightTopology.Stages.of(config, registry, metrics, Clock.systemUTC(), predictions, RecordLimits.of(config),
                TimeBounds.of(config), batchSize);
        var topology = SpotlightTopology.build(topics, Role.ALL, stages);
        driver = TopologyDrivers.of(topology, stages, "spotlight-test", stateDir);
        predictions.attach(driver.createInputTopic(topics.predictions(), Serdes.String().serializer(), Serdes.ByteArray().serializer()));
        explanations = driver.createOutputTopic(topics.explanations(), Serdes.String().deserializer(), Serdes.String().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetter(), Serdes.String().deserializer(), Serdes.String().deserializer());
        labels = driver.createInputTopic(topics.labels(), Serdes.String().serializer(), Serdes.String().serializer());
        misclassifications = driver.createOutputTopic(topics.misclassifications(), Serdes.String().deserializer(), Serdes.String().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aLowConfidencePredictionIsExplainedWithItsPlanAndASchemaValidEvent() throws Exception {
        predictions.pipeInput("p-1", TestEvents.bytes(TestEvents.image("p-1", 0, TestEvents.lowConfidence(), List.of())));
        assertThat(explanations.isEmpty()).as("waits for a full batch or the linger").isTrue();
        driver.advanceWallClockTime(Duration.ofMillis(250));

        var out = explanations.readKeyValue();
        JsonNode json = Json.MAPPER.readTree(out.value);
        assertThat(EXPLANATION.violations(json)).isEmpty();
        ExplanationEvent e = Json.MAPPER.treeToValue(json, ExplanationEvent.class);
        assertThat(out.key).isEqualTo(e.id()).startsWith("expl-");
        assertThat(e.predictionId()).isEqualTo("p-1");
        assertThat(e.sampling().reason()).isEqualTo("low-confidence");
        assertThat(e.sampling().reasons()).containsExactly("low-confidence", "small-margin");
        assertThat(e.explanations()).extracting(ExplanationEvent.MethodResult::method).containsExactly("integrated-gradients", "grad-cam");
        var ig = e.explanations().get(0);
        assertThat(ig.map().shape()).containsExactly(28, 28);
        assertThat(ig.parameters()).containsEntry("steps", 50).containsEntry("rule", "gauss-legendre").containsEntry("baseline", "black");
        assertThat(Math.abs(ig.summary().get("delta"))).as("completeness").isLessThan(0.05 * Math.abs(ig.summary().get("logit") - ig.summary().get("baseline_logit")) + 1e-3);
        assertThat(e.target().classIndex()).isEqualTo(3);
        assertThat(e.digest()).startsWith("sha256:");
        assertThat(metrics.total("spotlight.explanations")).isEqualTo(2);
        assertThat(explanations.isEmpty()).isTrue();
    }

    @Test
    void aConfidentPredictionIsCountedButNotExplained() {
        predictions.pipeInput("p-2", TestEvents.bytes(TestEvents.image("p-2", 1, TestEvents.confident(), List.of())));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(explanations.isEmpty()).isTrue();
        assertThat(metrics.total("spotlight.predictions.skipped")).isEqualTo(1);
    }

    @Test
    void aFlaggedConfidentPredictionIsExplainedWithTheFlaggedPlan() throws Exception {
        predictions.pipeInput("p-3", TestEvents.bytes(TestEvents.image("p-3", 2, TestEvents.confident(), List.of("user-report"))));
        driver.advanceWallClockTime(Duration.ofMillis(250));
        ExplanationEvent e = Json.MAPPER.readValue(explanations.readValue(), ExplanationEvent.class);
        assertThat(e.sampling().reason()).isEqualTo("flagged");
        assertThat(e.explanations()).extracting(ExplanationEvent.MethodResult::method)
                .containsExactly("saliency", "integrated-gradients", "grad-cam-plus-plus");
    }

    @Test
    void aFullBatchIsExplainedWithoutWaiting() {
        for (int i = 0; i < 4; i++) {
            predictions.pipeInput("b-" + i, TestEvents.bytes(TestEvents.image("b-" + i, i, TestEvents.lowConfidence(), List.of())));
        }
        assertThat(explanations.readValuesToList()).hasSize(4);
    }

    @Test
    void untilItsBatchesAreSizedTheExplainStageKeepsWhatItReceivesAndThenExplainsIt() {
        driver.close();
        BatchSize batchSize = BatchSize.unsized();
        start(batchSize);
        for (int i = 0; i < 5; i++) {
            predictions.pipeInput("w-" + i, TestEvents.bytes(TestEvents.image("w-" + i, i, TestEvents.lowConfidence(), List.of())));
        }
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(explanations.isEmpty()).as("nothing explained before the warm-up sized the batches").isTrue();
        assertThat(metrics.total("spotlight.explanations")).isZero();

        batchSize.set(2);
        List<Integer> batches = new ArrayList<>();
        for (int flush = 0; flush < 3; flush++) {
            driver.advanceWallClockTime(Duration.ofMillis(250));
            batches.add(explanations.readValuesToList().size());
        }
        assertThat(batches).as("every request kept, explained in batches of the size set").containsExactly(2, 2, 1);
    }

    @Test
    void aLateLabelThatDisagreesGivesTheChaptersMisclassificationAnalysis() throws Exception {
        var t0 = Instant.parse("2026-11-24T10:00:00Z");
        predictions.pipeInput("p-9", TestEvents.bytes(TestEvents.image("p-9", 9, TestEvents.confident(), List.of())), t0);
        predictions.pipeInput("p-10", TestEvents.bytes(TestEvents.image("p-10", 10, TestEvents.confident(), List.of())), t0);
        labels.pipeInput("p-9", "{\"prediction_id\": \"p-9\", \"true_class\": 4, \"timestamp\": \"2026-11-24T10:02:00Z\"}", t0.plusSeconds(120));
        labels.pipeInput("p-10", "{\"prediction_id\": \"p-10\", \"true_class\": 3, \"timestamp\": \"2026-11-24T10:02:00Z\"}", t0.plusSeconds(121));
        labels.pipeInput("junk", "{\"prediction_id\": \"p-11\"}", t0.plusSeconds(122));
        driver.advanceWallClockTime(Duration.ofMillis(250));

        var out = misclassifications.readKeyValuesToList();
        assertThat(out).as("only the disagreeing label").hasSize(1);
        JsonNode json = Json.MAPPER.readTree(out.get(0).value);
        assertThat(SchemaValidator.of(SchemaValidator.MISCLASSIFICATION).violations(json)).isEmpty();
        var m = Json.MAPPER.treeToValue(json, MisclassificationEvent.class);
        assertThat(m.predictionId()).isEqualTo("p-9");
        assertThat(m.predicted().classIndex()).isEqualTo(3);
        assertThat(m.trueClass().classIndex()).isEqualTo(4);
        assertThat(m.trueClass().probability()).isEqualTo(0.01);
        assertThat(m.trueClass().rank()).isEqualTo(2);
        assertThat(m.top5()).hasSize(5).first().extracting(ExplanationEvent.ClassRef::classIndex).isEqualTo(3);
        assertThat(m.diagnosis().code()).isEqualTo("borderline");
        assertThat(m.predictedExplanations()).extracting(ExplanationEvent.MethodResult::method).containsExactly("grad-cam", "integrated-gradients");
        assertThat(m.trueExplanations()).extracting(ExplanationEvent.MethodResult::method).containsExactly("grad-cam", "integrated-gradients");
        assertThat(m.predictedExplanations().get(1).map()).isNotEqualTo(m.trueExplanations().get(1).map());
        assertThat(m.predictedFocus().method()).isEqualTo("grad-cam");
        assertThat(m.trueFocus().method()).isEqualTo("grad-cam");
        DeadLetter junk = Json.MAPPER.readValue(deadLetters.readValue(), DeadLetter.class);
        assertThat(junk.stage()).isEqualTo("labels");
        assertThat(junk.reason()).isEqualTo(DeadLetter.Reason.SCHEMA_INVALID);
        assertThat(metrics.total("spotlight.misclassifications")).isEqualTo(1);
    }

    @Test
    void aSampledPredictionAndAMisclassificationAtTheSameOffsetOfDifferentTopicsAreBothExplained() {
        var t0 = Instant.parse("2026-11-24T10:00:00Z");
        // Offset 0 of 'predictions' (sampled, waits in the buffer) and offset 0 of the label join's input.
        predictions.pipeInput("p-1", TestEvents.bytes(TestEvents.image("p-1", 1, TestEvents.lowConfidence(), List.of())), t0);
        labels.pipeInput("p-1", "{\"prediction_id\": \"p-1\", \"true_class\": 4, \"timestamp\": \"2026-11-24T10:01:00Z\"}", t0.plusSeconds(60));
        driver.advanceWallClockTime(Duration.ofMillis(250));

        assertThat(explanations.readValuesToList()).hasSize(1);
        assertThat(misclassifications.readValuesToList()).hasSize(1);
    }

    @Test
    void twoDisagreeingLabelsJoinedByOnePredictionGiveTwoAnalyses() {
        var t0 = Instant.parse("2026-11-24T10:00:00Z");
        // Both labels wait in the join; the prediction's one record then yields two requests.
        labels.pipeInput("p-5", "{\"prediction_id\": \"p-5\", \"true_class\": 4, \"timestamp\": \"2026-11-24T10:00:01Z\"}", t0.plusSeconds(1));
        labels.pipeInput("p-5", "{\"prediction_id\": \"p-5\", \"true_class\": 6, \"timestamp\": \"2026-11-24T10:00:02Z\"}", t0.plusSeconds(2));
        predictions.pipeInput("p-5", TestEvents.bytes(TestEvents.image("p-5", 5, TestEvents.confident(), List.of())), t0.plusSeconds(3));
        driver.advanceWallClockTime(Duration.ofMillis(250));

        assertThat(misclassifications.readValuesToList()).hasSize(2);
    }

    static Stream<Arguments> badInputs() {
        ObjectNode good = TestEvents.image("bad", 3, TestEvents.lowConfidence(), List.of());
        float[] nan = SampleImages.tensor(0);
        nan[100] = Float.NaN;
        float[] inf = SampleImages.tensor(0);
        inf[5] = Float.POSITIVE_INFINITY;
        ObjectNode badBase64 = good.deepCopy();
        ((ObjectNode) badBase64.get("input")).put("data", "not*base64!");
        ObjectNode notImage = good.deepCopy();
        ((ObjectNode) notImage.get("input")).put("data", Base64.getEncoder().encodeToString("hello".getBytes()));
        ObjectNode empty = good.deepCopy();
        ((ObjectNode) empty.get("input")).put("data", "");
        ObjectNode unknown = good.deepCopy();
        ((ObjectNode) unknown.get("model")).put("version", "7");
        ObjectNode missing = good.deepCopy();
        missing.remove("timestamp");
        ObjectNode badProbability = good.deepCopy();
        ((ArrayNode) badProbability.at("/prediction/probabilities")).set(0, 1.5);
        ObjectNode tooManyClasses = good.deepCopy();
        ((ObjectNode) tooManyClasses.get("prediction")).put("class", 12);
        ObjectNode uri = good.deepCopy();
        uri.putObject("input").put("kind", "uri").put("uri", "s3://bucket/image.png");
        ObjectNode oversized = good.deepCopy();
        oversized.putObject("attributes").put("padding", "x".repeat(250_000));
        return Stream.of(
                Arguments.of("malformed JSON", "{\"id\": \"x\", ".getBytes(), DeadLetter.Reason.MALFORMED_JSON),
                Arguments.of("trailing garbage", "{\"id\": \"x\"} ]".getBytes(), DeadLetter.Reason.MALFORMED_JSON),
                Arguments.of("no timestamp", TestEvents.bytes(missing), DeadLetter.Reason.SCHEMA_INVALID),
                Arguments.of("probability > 1", TestEvents.bytes(badProbability), DeadLetter.Reason.SCHEMA_INVALID),
                Arguments.of("unknown model version", TestEvents.bytes(unknown), DeadLetter.Reason.UNKNOWN_MODEL),
                Arguments.of("class outside the model", TestEvents.bytes(tooManyClasses), DeadLetter.Reason.INCONSISTENT_PREDICTION),
                Arguments.of("wrong shape", TestEvents.bytes(TestEvents.tensor("bad", new float[3 * 28 * 28], 3, 28, 28)), DeadLetter.Reason.WRONG_SHAPE),
                Arguments.of("NaN", TestEvents.bytes(TestEvents.tensor("bad", nan, 1, 28, 28)), DeadLetter.Reason.NON_FINITE),
                Arguments.of("Inf", TestEvents.bytes(TestEvents.tensor("bad", inf, 1, 28, 28)), DeadLetter.Reason.NON_FINITE),
                Arguments.of("oversized", TestEvents.bytes(oversized), DeadLetter.Reason.OVERSIZED),
                Arguments.of("bad base64", TestEvents.bytes(badBase64), DeadLetter.Reason.BAD_ENCODING),
                Arguments.of("not an image", TestEvents.bytes(notImage), DeadLetter.Reason.BAD_ENCODING),
                Arguments.of("tensor bytes do not fit the shape", TestEvents.bytes(TestEvents.tensor("bad", new float[10], 1, 28, 28)), DeadLetter.Reason.BAD_ENCODING),
                Arguments.of("empty input", TestEvents.bytes(empty), DeadLetter.Reason.EMPTY_INPUT),
                Arguments.of("empty record", new byte[0], DeadLetter.Reason.MALFORMED_JSON),
                Arguments.of("input by reference", TestEvents.bytes(uri), DeadLetter.Reason.UNSUPPORTED_INPUT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputGoesToTheDeadLetterTopicAndTheStreamGoesOn(String what, byte[] value, DeadLetter.Reason reason) throws Exception {
        predictions.pipeInput("k-" + what, value);
        predictions.pipeInput("good", TestEvents.bytes(TestEvents.image("good", 4, TestEvents.lowConfidence(), List.of())));
        driver.advanceWallClockTime(Duration.ofMillis(250));

        var letter = deadLetters.readKeyValue();
        JsonNode json = Json.MAPPER.readTree(letter.value);
        assertThat(DEAD_LETTER.violations(json)).isEmpty();
        DeadLetter d = Json.MAPPER.treeToValue(json, DeadLetter.class);
        assertThat(d.reason()).as(d.message()).isEqualTo(reason);
        assertThat(d.original().bytes()).isEqualTo(value);
        assertThat(d.source().topic()).isEqualTo("predictions");
        assertThat(d.source().offset()).isZero();
        assertThat(d.source().key()).isEqualTo("k-" + what);
        assertThat(d.stage()).isEqualTo("validate");
        assertThat(d.message()).isNotBlank();
        assertThat(deadLetters.isEmpty()).isTrue();
        List<String> good = new ArrayList<>(explanations.readValuesToList());
        assertThat(good).as("the next record is explained").hasSize(1);
        assertThat(metrics.total("spotlight.dead.letters")).isEqualTo(1);
    }
}

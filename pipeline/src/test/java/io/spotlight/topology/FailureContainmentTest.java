package io.spotlight.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spotlight.attribution.Explainer;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.containment.RecordLimits;
import io.spotlight.events.DeadLetter;
import io.spotlight.events.Json;
import io.spotlight.events.PredictionEvent;
import io.spotlight.events.SchemaValidator;
import io.spotlight.explanation.ExplainRequest;
import io.spotlight.explanation.ExplanationService;
import io.spotlight.explanation.Outcome;
import io.spotlight.explanation.PrivacyPolicy;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.model.InputDecoder;
import io.spotlight.model.ModelRegistry;
import io.spotlight.sampling.SamplingDecision;
import io.spotlight.sampling.SamplingReason;
import io.spotlight.testing.Models;
import io.spotlight.testing.PipedPredictions;
import io.spotlight.testing.TestEvents;
import io.spotlight.testing.TopologyDrivers;
import io.spotlight.validation.Checked;
import io.spotlight.validation.PredictionValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing a stage throws stops the stream: the topology runs with Kafka Streams' exception
 * handlers as the application configures them, and stages that fail in ways nobody anticipated
 * (an arbitrary RuntimeException, an Error) are stood in for the real ones. Each failure ends in
 * the dead-letter topic with its reason, stage, exception, source and original bytes, and the next
 * record goes through.
 */
class FailureContainmentTest {

    static final SchemaValidator DEAD_LETTER = SchemaValidator.of(SchemaValidator.DEAD_LETTER);

    @TempDir
    Path stateDir;

    TopologyTestDriver driver;
    PipedPredictions predictions;
    TestOutputTopic<String, String> explanations;
    TestOutputTopic<String, String> deadLetters;
    SpotlightMetrics metrics;
    Topics topics;

    void start(Role role, Map<String, String> settings, UnaryOperator<SpotlightTopology.Stages> standIn) {
        SpotlightConfig config = SpotlightConfig.defaults().with(Map.of("sampling.baseline-rate", "0", "explain.batch-size", "4"))
                .with(settings);
        metrics = new SpotlightMetrics(new SimpleMeterRegistry());
        ModelRegistry registry = new ModelRegistry(List.of(Models.shippedModel("fashion-cnn")));
        topics = Topics.from(config);
        predictions = new PipedPredictions(topics.predictions());
        SpotlightTopology.Stages stages = standIn.apply(SpotlightTopology.Stages.of(config, registry, metrics, Clock.systemUTC(), predictions));
        driver = TopologyDrivers.of(SpotlightTopology.build(topics, role, stages), stages, "containment-test", stateDir);
        if (role != Role.EXPLAIN) {
            predictions.attach(driver.createInputTopic(topics.predictions(), Serdes.String().serializer(), Serdes.ByteArray().serializer()));
        }
        explanations = driver.createOutputTopic(topics.explanations(), Serdes.String().deserializer(), Serdes.String().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetter(), Serdes.String().deserializer(), Serdes.String().deserializer());
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    static SpotlightTopology.Stages withValidator(SpotlightTopology.Stages s, PredictionValidator v) {
        return new SpotlightTopology.Stages(v, s.time(), s.dedupWindow(), s.sampling(), s.budgetPerSecond(), s.budgetBurst(), s.explainer(),
                s.explain(), s.lookup(), s.drift(), s.labelWindow(), s.registry(), s.metrics(), s.deadLetters(), s.limits(), s.clock(), s.inputs());
    }

    static SpotlightTopology.Stages withExplainer(SpotlightTopology.Stages s, ExplanationService e) {
        return new SpotlightTopology.Stages(s.validator(), s.time(), s.dedupWindow(), s.sampling(), s.budgetPerSecond(), s.budgetBurst(), e,
                s.explain(), s.lookup(), s.drift(), s.labelWindow(), s.registry(), s.metrics(), s.deadLetters(), s.limits(), s.clock(), s.inputs());
    }

    /** The real validator, except that on the record with this id it throws what the test says. */
    static PredictionValidator throwingOn(SpotlightTopology.Stages s, String id, RuntimeException orNull, Error error) {
        PredictionValidator real = s.validator();
        return new PredictionValidator(null, null, 0, null) {
            @Override
            public Checked check(byte[] value) {
                if (value != null && new String(value, StandardCharsets.UTF_8).contains("\"" + id + "\"")) {
                    if (orNull != null) {
                        throw orNull;
                    }
                    throw error;
                }
                return real.check(value);
            }
        };
    }

    byte[] lowConfidence(String id) {
        return TestEvents.bytes(TestEvents.image(id, 4, TestEvents.lowConfidence(), List.of()));
    }

    DeadLetter onlyLetter() throws Exception {
        List<String> letters = deadLetters.readValuesToList();
        assertThat(letters).hasSize(1);
        JsonNode json = Json.MAPPER.readTree(letters.get(0));
        assertThat(DEAD_LETTER.violations(json)).isEmpty();
        return Json.MAPPER.treeToValue(json, DeadLetter.class);
    }

    @Test
    void aStageThatThrowsAnArbitraryRuntimeExceptionDeadLettersTheRecordAsInternalErrorAndTheStreamGoesOn() throws Exception {
        start(Role.ALL, Map.of(), s -> withValidator(s, throwingOn(s, "boom", new IllegalStateException("nobody saw this coming"), null)));
        byte[] boom = lowConfidence("boom");
        TestInputTopic<String, byte[]> raw = driver.createInputTopic(topics.predictions(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        raw.pipeInput(new TestRecord<>("k-boom", boom, new RecordHeaders(List.of(new RecordHeader("traceparent", "00-abc-01".getBytes()))),
                Instant.now()));
        raw.pipeInput("good", lowConfidence("good"));
        driver.advanceWallClockTime(Duration.ofMillis(250));

        DeadLetter d = onlyLetter();
        assertThat(d.reason()).isEqualTo(DeadLetter.Reason.INTERNAL_ERROR);
        assertThat(d.stage()).isEqualTo("validate");
        assertThat(d.exception().className()).isEqualTo("java.lang.IllegalStateException");
        assertThat(d.exception().message()).isEqualTo("nobody saw this coming");
        assertThat(d.source().topic()).isEqualTo("predictions");
        assertThat(d.source().partition()).isZero();
        assertThat(d.source().offset()).isZero();
        assertThat(d.source().key()).isEqualTo("k-boom");
        assertThat(d.source().headers()).singleElement().satisfies(h -> {
            assertThat(h.key()).isEqualTo("traceparent");
            assertThat(Base64.getDecoder().decode(h.value())).isEqualTo("00-abc-01".getBytes());
        });
        assertThat(d.original().bytes()).isEqualTo(boom);
        assertThat(d.original().isTruncated()).isFalse();
        assertThat(explanations.readValuesToList()).as("the next record is explained").hasSize(1);
        assertThat(metrics.total("spotlight.dead.letters", "reason", "internal-error", "stage", "validate")).isEqualTo(1);
    }

    @Test
    void aStageThatThrowsAnErrorIsContainedToo() throws Exception {
        start(Role.ALL, Map.of(), s -> withValidator(s, throwingOn(s, "deep", null, new StackOverflowError())));
        predictions.pipeInput("deep", lowConfidence("deep"));
        predictions.pipeInput("good", lowConfidence("good"));
        driver.advanceWallClockTime(Duration.ofMillis(250));

        DeadLetter d = onlyLetter();
        assertThat(d.reason()).isEqualTo(DeadLetter.Reason.INTERNAL_ERROR);
        assertThat(d.exception().className()).isEqualTo("java.lang.StackOverflowError");
        assertThat(explanations.readValuesToList()).hasSize(1);
    }

    @Test
    void theTwoRecordsThatStoppedTheDemoAreDeadLetteredWithTheirReasons() throws Exception {
        start(Role.ALL, Map.of(), s -> s);
        ObjectNode overflow = TestEvents.tensor("overflow", new float[] {1f}, 1);
        overflow.withObject("/input").putArray("shape").add(Integer.MAX_VALUE).add(Integer.MAX_VALUE).add(Integer.MAX_VALUE);
        ObjectNode future = TestEvents.image("future", 4, TestEvents.lowConfidence(), List.of());
        future.put("timestamp", "2100-01-01T00:00:00Z");
        predictions.pipeInput("overflow", TestEvents.bytes(overflow));
        predictions.pipeInput("future", TestEvents.bytes(future));
        predictions.pipeInput("good", lowConfidence("good"));
        driver.advanceWallClockTime(Duration.ofMillis(250));

        List<DeadLetter> letters = new ArrayList<>();
        for (String v : deadLetters.readValuesToList()) {
            letters.add(Json.read(v.getBytes(StandardCharsets.UTF_8), DeadLetter.class));
        }
        assertThat(letters).extracting(DeadLetter::reason).containsExactly(DeadLetter.Reason.WRONG_SHAPE, DeadLetter.Reason.BAD_TIMESTAMP);
        assertThat(letters.get(1).message()).contains("2100-01-01T00:00:00Z").contains("ahead");
        assertThat(explanations.readValuesToList()).hasSize(1);
    }

    @Test
    void garbageAndTombstonesOnTheExplainRequestsTopicAreDeadLetteredAndTheNextRequestIsExplained() throws Exception {
        start(Role.EXPLAIN, Map.of(), s -> s);
        TestInputTopic<String, byte[]> requests = driver.createInputTopic(topics.explainRequests(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        requests.pipeInput("garbage", new byte[] {(byte) 0xC3, 0x28, '{'});
        requests.pipeInput("json-of-another-shape", "{\"event\": 42}".getBytes(StandardCharsets.UTF_8));
        requests.pipeInput("tombstone", (byte[]) null);
        PredictionEvent good = Json.read(lowConfidence("good"), PredictionEvent.class);
        requests.pipeInput("good", Json.bytes(new ExplainRequest(good, new SamplingDecision(List.of(SamplingReason.LOW_CONFIDENCE), 0.4, 0.05, null))));
        driver.advanceWallClockTime(Duration.ofMillis(250));

        List<DeadLetter> letters = new ArrayList<>();
        for (String v : deadLetters.readValuesToList()) {
            JsonNode json = Json.MAPPER.readTree(v);
            assertThat(DEAD_LETTER.violations(json)).isEmpty();
            letters.add(Json.MAPPER.treeToValue(json, DeadLetter.class));
        }
        assertThat(letters).extracting(DeadLetter::reason)
                .containsExactly(DeadLetter.Reason.MALFORMED_JSON, DeadLetter.Reason.SCHEMA_INVALID, DeadLetter.Reason.TOMBSTONE);
        assertThat(letters.get(0).stage()).isEqualTo("deserialize");
        assertThat(letters.get(0).original().bytes()).containsExactly((byte) 0xC3, 0x28, '{');
        assertThat(letters.get(2).stage()).isEqualTo("explain");
        assertThat(explanations.readValuesToList()).hasSize(1);
    }

    /** The real service, except that every batch holding the record with this id throws an Error. */
    static ExplanationService crashingOn(SpotlightTopology.Stages s, String id, AtomicInteger calls) {
        ExplanationService real = s.explainer();
        return new ExplanationService(s.registry(), real.plan(), new Explainer(), Clock.systemUTC(),
                List.of("grad-cam"), PrivacyPolicy.of(SpotlightConfig.defaults()), InputDecoder.DEFAULT, RecordLimits.KAFKA_DEFAULT.maxValueBytes(null), real.scores()) {
            @Override
            public List<Outcome> explain(List<ExplainRequest> requests) {
                calls.incrementAndGet();
                if (requests.stream().anyMatch(r -> r.event().id().equals(id))) {
                    throw new OutOfMemoryError("Java heap space");
                }
                return real.explain(requests);
            }
        };
    }

    @Test
    void anExplanationThatThrowsAnErrorIsTriedAloneAFewTimesThenQuarantinedWhileItsBatchMatesAreExplained() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start(Role.ALL, Map.of("explain.max-attempts", "3"), s -> withExplainer(s, crashingOn(s, "poison", calls)));
        predictions.pipeInput("a", lowConfidence("a"));
        predictions.pipeInput("poison", lowConfidence("poison"));
        predictions.pipeInput("b", lowConfidence("b"));
        predictions.pipeInput("c", lowConfidence("c"));
        assertThat(explanations.readValuesToList()).as("the batch failed as a whole").isEmpty();
        // Then one request alone per flush, the least tried first: a, b, c, the poison twice, its letter.
        for (int i = 0; i < 6; i++) {
            driver.advanceWallClockTime(Duration.ofMillis(250));
        }

        assertThat(explanations.readValuesToList()).as("its batch mates, each tried alone once").hasSize(3);
        DeadLetter d = onlyLetter();
        assertThat(d.reason()).isEqualTo(DeadLetter.Reason.EXPLAIN_CRASHED);
        assertThat(d.predictionId()).isEqualTo("poison");
        assertThat(d.message()).contains("3 tries");
        assertThat(metrics.total("spotlight.explain.crashes", "cause", "error")).as("the batch, then the two tries alone").isEqualTo(4 + 1 + 1);
        driver.advanceWallClockTime(Duration.ofMillis(250));
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    /** The real service, except that its first batches fail as an engine out of device memory would (no GPU here to fail for real). */
    static ExplanationService failingFirst(SpotlightTopology.Stages s, int batches) {
        ExplanationService real = s.explainer();
        AtomicInteger left = new AtomicInteger(batches);
        return new ExplanationService(s.registry(), real.plan(), new Explainer(), Clock.systemUTC(),
                List.of("grad-cam"), PrivacyPolicy.of(SpotlightConfig.defaults()), InputDecoder.DEFAULT, RecordLimits.KAFKA_DEFAULT.maxValueBytes(null), real.scores()) {
            @Override
            public List<Outcome> explain(List<ExplainRequest> requests) {
                if (left.getAndDecrement() > 0) {
                    return requests.stream().<Outcome>map(r -> new Outcome.Failed(r, DeadLetter.Reason.EXPLAIN_FAILED,
                            "ai.djl.engine.EngineException: CUDA out of memory", true)).toList();
                }
                return real.explain(requests);
            }
        };
    }

    @Test
    void aTransientEngineFailureOnAFakeDeviceBacksOffAndRetriesInsteadOfDeadLetteringGoodRecords() throws Exception {
        start(Role.ALL, Map.of("explain.retry-backoff-ms", "1000"), s -> withExplainer(s, failingFirst(s, 2)));
        for (String id : List.of("a", "b", "c", "d")) {
            predictions.pipeInput(id, lowConfidence(id));
        }
        driver.advanceWallClockTime(Duration.ofMillis(250));
        assertThat(explanations.readValuesToList()).as("backing off 1 s after the first failure").isEmpty();
        driver.advanceWallClockTime(Duration.ofMillis(1000));
        assertThat(explanations.readValuesToList()).as("the second failure doubles the wait").isEmpty();
        driver.advanceWallClockTime(Duration.ofMillis(1000));
        assertThat(explanations.readValuesToList()).isEmpty();
        driver.advanceWallClockTime(Duration.ofMillis(1250));
        assertThat(explanations.readValuesToList()).hasSize(4);
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(metrics.total("spotlight.explain.retries", "cause", "engine")).isEqualTo(8);
    }

    @Test
    void aRecordTheEngineKeepsFailingOnIsDeadLetteredAfterItsRetries() throws Exception {
        start(Role.ALL, Map.of("explain.retry-backoff-ms", "100", "explain.max-retries", "2"), s -> withExplainer(s, failingFirst(s, 100)));
        predictions.pipeInput("a", lowConfidence("a"));
        for (int i = 0; i < 10; i++) {
            driver.advanceWallClockTime(Duration.ofMillis(250));
        }
        DeadLetter d = onlyLetter();
        assertThat(d.reason()).isEqualTo(DeadLetter.Reason.EXPLAIN_FAILED);
        assertThat(d.message()).contains("after 2 retries").contains("CUDA out of memory");
        assertThat(explanations.isEmpty()).isTrue();
    }
}

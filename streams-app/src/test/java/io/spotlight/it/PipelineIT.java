package io.spotlight.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import io.spotlight.app.SpotlightApplication;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.demo.DemoProducer;
import io.spotlight.demo.DemoTraffic;
import io.spotlight.demo.TrafficFormat;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Json;
import io.spotlight.events.PredictionEvent;
import io.spotlight.events.SchemaValidator;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.sampling.SamplingPolicy;
import io.spotlight.testing.InProcessBroker;
import io.spotlight.testing.Repository;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The walking skeleton on a real broker (KRaft, in this JVM) under exactly-once: 500 prediction
 * events in, exactly one schema-valid explanation per event the sampler picks, read back with
 * read_committed, none duplicated. Labels for half of them arrive meanwhile, so the explain stage
 * also serves the label join, and each disagreeing label gives exactly one misclassification.
 */
class PipelineIT {

    @RegisterExtension
    static final InProcessBroker kafka = new InProcessBroker();

    @Test
    void fiveHundredPredictionsGiveExactlyOneExplanationPerSampledPrediction() throws Exception {
        // A long linger and large batches keep sampled predictions waiting in the explain buffer while
        // label-join requests arrive beside them (the two once collided there and one was lost).
        SpotlightConfig config = SpotlightConfig.load(null, Map.of(), Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "application.id", "pipeline-it",
                "models.registry", Repository.root().resolve("models/registry.json").toString(),
                "metrics.port", "0",
                "sampling.baseline-rate", "0.1",
                "explain.linger-ms", "1000",
                "explain.batch-size", "64",
                "state.dir", Files.createTempDirectory("pipeline-it").toString()));
        try (SpotlightApplication app = SpotlightApplication.start(config, SpotlightMetrics.prometheus())) {
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).as("streams running").isTrue();

            DemoTraffic traffic = DemoTraffic.fromRegistry(app.models(), 7);
            SamplingPolicy policy = new SamplingPolicy(0.6, 0.1, null, 0.1, 0);
            Set<String> expected = new HashSet<>();
            Set<String> mismatches = new HashSet<>();
            DemoProducer.Labels labels = new DemoProducer.Labels("labels", 0.5, 20);
            Instant t0 = Instant.parse("2026-11-24T10:00:00Z");
            int broken = 0;
            for (long n = 0; n < 500; n++) {
                DemoTraffic.Event e = traffic.next(n, t0);
                if (e.broken()) {
                    broken++;
                    continue;
                }
                PredictionEvent p = Json.read(e.json(), PredictionEvent.class);
                if (policy.decide(p).sampled()) {
                    expected.add(e.id());
                }
                if (labels.covers(e.id()) && e.label() != p.prediction().classIndex()) {
                    mismatches.add(e.id());
                }
            }
            try (DemoProducer producer = new DemoProducer(traffic, kafka.bootstrapServers(), "predictions", TrafficFormat.SPOTLIGHT, 1000, 500,
                    Clock.fixed(t0, ZoneOffset.UTC), labels)) {
                producer.run();
                assertThat(producer.sent()).isEqualTo(500);
            }

            SchemaValidator schema = SchemaValidator.of(SchemaValidator.EXPLANATION);
            SchemaValidator misclassificationSchema = SchemaValidator.of(SchemaValidator.MISCLASSIFICATION);
            List<String> predictionIds = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            List<String> misclassified = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "pipeline-it-reader",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of("explanations", "misclassifications"));
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ZERO).untilAsserted(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                        JsonNode json = Json.read(r.value(), JsonNode.class);
                        if (r.topic().equals("misclassifications")) {
                            assertThat(misclassificationSchema.violations(json)).as("schema violations of %s", r.key()).isEmpty();
                            misclassified.add(r.key());
                            return;
                        }
                        assertThat(schema.violations(json)).as("schema violations of %s", r.key()).isEmpty();
                        ExplanationEvent e = Json.MAPPER.convertValue(json, ExplanationEvent.class);
                        assertThat(r.key()).isEqualTo(e.id());
                        predictionIds.add(e.predictionId());
                        keys.add(r.key());
                    });
                    assertThat(predictionIds.size()).isGreaterThanOrEqualTo(expected.size());
                    assertThat(misclassified.size()).isGreaterThanOrEqualTo(mismatches.size());
                });
                // Anything extra (a duplicate) would arrive within the next polls.
                for (int i = 0; i < 5; i++) {
                    consumer.poll(Duration.ofMillis(300)).forEach(r -> (r.topic().equals("misclassifications") ? misclassified : predictionIds)
                            .add("extra:" + r.key()));
                }
            }
            assertThat(predictionIds).doesNotHaveDuplicates();
            assertThat(keys).doesNotHaveDuplicates();
            assertThat(new HashSet<>(predictionIds)).isEqualTo(expected);
            assertThat(misclassified).doesNotHaveDuplicates();
            assertThat(new HashSet<>(misclassified)).isEqualTo(mismatches);
            assertThat(mismatches.size()).as("some labels disagree").isGreaterThan(5);
            SpotlightMetrics m = app.metrics();
            assertThat(m.total("spotlight.predictions.consumed")).isEqualTo(500);
            assertThat(m.total("spotlight.dead.letters")).isEqualTo(broken);
            assertThat(m.total("spotlight.predictions.valid") - m.total("spotlight.predictions.skipped")).isEqualTo(expected.size());
            assertThat(m.total("spotlight.explanation.events")).isEqualTo(expected.size());
            assertThat(expected.size()).as("a meaningful share is sampled").isBetween(30, 400);
            // Each committed explanation's end-to-end latency, counted once, by the consumer that sees it committed.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    Search.in(m.registry()).name("spotlight.explanation.latency").timers().stream()
                            .mapToLong(Timer::count).sum()).isEqualTo((long) expected.size()));

            var http = HttpClient.newHttpClient();
            var metrics = http.send(HttpRequest.newBuilder(URI.create(app.server().baseUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains("spotlight_predictions_consumed_total 500.0")
                    .contains("spotlight_explain_time_seconds_bucket{method=\"grad-cam\"")
                    .contains("spotlight_explanation_latency_seconds_count")
                    .contains("spotlight_dead_letters_total{reason=\"malformed-json\",stage=\"validate\"}")
                    .contains("kafka_stream_thread_")
                    .contains("process_resident_memory_bytes");
            var health = http.send(HttpRequest.newBuilder(URI.create(app.server().baseUrl() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"").contains("RUNNING");
        }
    }
}

package io.spotlight.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.events.AlertEvent;
import io.spotlight.events.DriftEvent;
import io.spotlight.events.Json;
import io.spotlight.events.SchemaValidator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The drift stage's outputs on a real broker: alert and attention-drift events read with
 * read_committed, each checked against its schema; and the settings of a run whose event time is
 * compressed (windows of synthetic time, every prediction explained).
 */
public final class DriftOutputs implements AutoCloseable {

    public final List<AlertEvent> alerts = new ArrayList<>();
    public final List<DriftEvent> drift = new ArrayList<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final SchemaValidator alertSchema = SchemaValidator.of(SchemaValidator.ALERT);
    private final SchemaValidator driftSchema = SchemaValidator.of(SchemaValidator.ATTENTION_DRIFT);

    public DriftOutputs(String bootstrap, String group) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of("alerts", "attention-drift"));
    }

    /** Settings for a run of synthetic event time: drift windows of windowMs, every prediction explained with Grad-CAM. */
    public static Map<String, String> compressedTime(String bootstrap, String application, Path registry, Path state, long windowMs) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("bootstrap.servers", bootstrap);
        s.put("application.id", application);
        s.put("models.registry", registry.toString());
        s.put("metrics.port", "0");
        s.put("sampling.baseline-rate", "1.0");
        s.put("explain.plan.fashion-cnn.low-confidence", "grad-cam");
        s.put("explain.plan.fashion-cnn.small-margin", "grad-cam");
        s.put("explain.plan.fashion-cnn.flagged", "grad-cam");
        s.put("explain.linger-ms", "50");
        s.put("drift.window-ms", Long.toString(windowMs));
        // One partition keeps compressed event time in order end to end; with several, tasks
        // progress unevenly and, at dozens of predictions per wall-clock millisecond, that skew is
        // minutes of event time (at real pace it is a fraction of the grace).
        s.put("topics.partitions", "1");
        s.put("drift.grace-ms", "1000");
        s.put("state.dir", state.toString());
        return s;
    }

    /** Reads what has arrived within the timeout. */
    public void poll(Duration timeout) {
        consumer.poll(timeout).forEach(r -> {
            JsonNode json = Json.read(r.value(), JsonNode.class);
            if (r.topic().equals("alerts")) {
                assertThat(alertSchema.violations(json)).isEmpty();
                alerts.add(Json.MAPPER.convertValue(json, AlertEvent.class));
            } else {
                assertThat(driftSchema.violations(json)).isEmpty();
                drift.add(Json.MAPPER.convertValue(json, DriftEvent.class));
            }
        });
    }

    /** The all-classes windows of a model (every version), in order of arrival. */
    public List<DriftEvent> windows(String model) {
        return drift.stream().filter(d -> d.model().id().equals(model) && d.predictedClass().equals("all")).toList();
    }

    /** The all-classes windows and the alerts, for the test's log. */
    public void print() {
        drift.stream().filter(d -> d.predictedClass().equals("all")).forEach(d -> System.out.printf(Locale.ROOT, "window %s %s n=%d %s %s%n",
                d.windowEnd(), d.model(), d.count(), d.reference().source(), d.figures() == null || d.figures().limits() == null ? "-"
                        : String.format(Locale.ROOT, "js %.4f (limit %.4f) forbidden %.3f (limit %.3f)", d.figures().jsDivergence(),
                        d.figures().limits().get("js-divergence").high(), d.figures().forbiddenMass(), d.figures().limits().get("forbidden-mass").high())));
        alerts.forEach(a -> System.out.println("alert " + a.state() + " " + a.message()));
    }

    @Override
    public void close() {
        consumer.close();
    }
}

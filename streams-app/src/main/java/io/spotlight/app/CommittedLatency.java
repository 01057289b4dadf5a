package io.spotlight.app;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.events.Json;
import io.spotlight.kafka.ApplicationAcls;
import io.spotlight.kafka.KafkaClients;
import io.spotlight.kafka.PollLoop;
import io.spotlight.metrics.SpotlightMetrics;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end-to-end latency of explanations as users get them: from the prediction's timestamp to the
 * moment its explanation is committed, which is when a read_committed consumer first sees it. A
 * consumer of its own in a group of its own per application ({@code <application.id>-latency}), so
 * the instances share the partitions and each explanation is counted once; it commits nothing (an
 * assignment starts at the end, so a restart does not count explanations committed while it was
 * away, at the time it reads them) and never touches the stream's offsets.
 */
final class CommittedLatency implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CommittedLatency.class);

    private final CountDownLatch assigned = new CountDownLatch(1);
    private final PollLoop<String, byte[]> loop;

    /** {@code instance}: this instance's lasting id (static membership, as the stream's consumer has). */
    CommittedLatency(KafkaClients clients, String application, String instance, String topic, SpotlightMetrics metrics) {
        String group = ApplicationAcls.latencyGroup(application);
        KafkaConsumer<String, byte[]> consumer = clients.member(group, group, group + "-" + instance);
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                assigned.countDown();
            }
        });
        this.loop = new PollLoop<>("spotlight-latency", "the explanation latency consumer stopped", consumer, Duration.ofMillis(200),
                () -> {}, r -> record(metrics, r.value(), Instant.now()));
    }

    /**
     * Waits until the consumer has joined its group: a new group starts at the end of the topic, so
     * the stream should not commit explanations before then (they would not be counted).
     */
    boolean awaitAssignment(Duration timeout) throws InterruptedException {
        return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One committed explanation, seen at {@code now}: the time since its prediction, in its model's
     * histogram. Every committed explanation passes here, maps and curves included, so only the two
     * fields needed are read and the rest is skipped, not built into a tree.
     */
    static void record(SpotlightMetrics metrics, byte[] explanation, Instant now) {
        String predicted = null;
        String model = null;
        try (JsonParser p = Json.MAPPER.getFactory().createParser(explanation)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while ((predicted == null || model == null) && p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("prediction_timestamp")) {
                    predicted = p.getValueAsString();
                } else if (field.equals("model") && p.currentToken() == JsonToken.START_OBJECT) {
                    JsonNode described = Json.MAPPER.readTree(p);
                    model = described.path("id").asText();
                } else {
                    p.skipChildren();
                }
            }
            if (predicted == null) {
                throw new IOException("no prediction_timestamp");
            }
            metrics.latency(model == null ? "" : model, Duration.between(Instant.parse(predicted), now));
        } catch (IOException | RuntimeException unreadable) {
            log.debug("not an explanation event: {}", unreadable.toString());
        }
    }

    @Override
    public void close() {
        loop.close();
    }
}

package io.spotlight.topology;

import io.spotlight.events.Json;
import io.spotlight.events.PredictionEvent;
import io.spotlight.explanation.ExplainRequest.PredictionSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads predictions back from the predictions topic by offset (committed records only), with a
 * consumer of its own: no group, no commits. Misclassifications are a few percent of the labels,
 * so one seek each costs less than holding every input in the label join.
 */
public final class TopicPredictionLookup implements PredictionLookup, AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(10);

    private final KafkaConsumer<byte[], byte[]> consumer;

    /** @param client the connection settings (bootstrap servers, security) */
    public TopicPredictionLookup(Map<String, Object> client) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        c.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "spotlight-prediction-lookup");
        this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public synchronized Optional<PredictionEvent> read(PredictionSource source) {
        TopicPartition tp = new TopicPartition(source.topic(), source.partition());
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        try {
            consumer.assign(List.of(tp));
            consumer.seek(tp, source.offset());
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200)).records(tp)) {
                    // A later offset means the record itself is gone (compacted or aborted): nothing to wait for.
                    return r.offset() == source.offset() && r.value() != null ? Optional.of(Json.read(r.value(), PredictionEvent.class)) : Optional.empty();
                }
            }
        } catch (OffsetOutOfRangeException gone) {
            return Optional.empty();
        } catch (KafkaException e) {
            throw new Unavailable("cannot read " + source + ": " + e, e);
        }
        throw new Unavailable("no answer for " + source + " within " + PATIENCE.toSeconds() + " s", null);
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}

package io.spotlight.replay;

import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Json;
import io.spotlight.kafka.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Re-explained events to a topic, keyed and timed as the live ones (acks=all, idempotent). Every
 * send's outcome is checked: one the broker refuses (too large, not allowed, timed out) is
 * counted as lost, with its reason, and fails the audit.
 */
public final class TopicSink implements ReplaySink {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final List<String> lost = Collections.synchronizedList(new ArrayList<>());

    public TopicSink(KafkaClients clients, String topic, String clientId) {
        this.topic = topic;
        this.producer = clients.producer(clientId, Map.of());
    }

    @Override
    public void accept(ExplanationEvent e) {
        try {
            producer.send(new ProducerRecord<>(topic, null, e.predictionTimestamp().toEpochMilli(), e.id(), Json.bytes(e)), (metadata, failure) -> {
                if (failure != null) {
                    lost.add(e.predictionId() + ": " + failure.getMessage());
                }
            });
        } catch (KafkaException failure) {
            lost.add(e.predictionId() + ": " + failure.getMessage());
        }
    }

    @Override
    public List<String> flush() {
        producer.flush();
        synchronized (lost) {
            return List.copyOf(lost);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}

package io.spotlight.topology;

import io.spotlight.events.DeadLetter;
import io.spotlight.metrics.SpotlightMetrics;
import java.time.Clock;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds dead letters with where the record came from; logs and counts each one once. */
final class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final String application;
    private final Clock clock;
    private final SpotlightMetrics metrics;

    DeadLetters(String application, Clock clock, SpotlightMetrics metrics) {
        this.application = application;
        this.clock = clock;
        this.metrics = metrics;
    }

    DeadLetter of(DeadLetter.Reason reason, String message, String stage, RecordMetadata source, long timestamp,
                  String key, String predictionId, byte[] original) {
        return of(reason, message, stage, source == null ? "unknown" : source.topic(), source == null ? -1 : source.partition(),
                source == null ? -1 : source.offset(), timestamp, key, predictionId, original);
    }

    DeadLetter of(DeadLetter.Reason reason, String message, String stage, String topic, int partition, long offset,
                  long timestamp, String key, String predictionId, byte[] original) {
        DeadLetter.Source from = new DeadLetter.Source(topic, partition, offset,
                timestamp < 0 ? null : Instant.ofEpochMilli(timestamp), key);
        log.warn("dead-letter {} at {}:{}:{} ({}): {}", reason.id(), from.topic(), from.partition(), from.offset(),
                predictionId == null ? "no id" : predictionId, message);
        metrics.deadLettered(reason.id(), stage);
        return new DeadLetter(reason, message, stage, from, predictionId, DeadLetter.Original.of(original), clock.instant(), application);
    }
}

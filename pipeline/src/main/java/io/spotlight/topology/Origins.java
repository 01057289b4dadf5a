package io.spotlight.topology;

import io.spotlight.containment.DeadLetters;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Where a record a stage holds came from, for its dead letter. */
final class Origins {

    private Origins() {}

    static DeadLetters.Origin of(RecordMetadata source, long timestamp, String key, Headers headers, byte[] value) {
        return new DeadLetters.Origin(source == null ? null : source.topic(), source == null ? -1 : source.partition(),
                source == null ? -1 : source.offset(), timestamp, key == null ? null : key.getBytes(StandardCharsets.UTF_8), headers, value);
    }
}

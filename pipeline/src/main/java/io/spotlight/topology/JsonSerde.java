package io.spotlight.topology;

import io.spotlight.containment.OutputTooLargeException;
import io.spotlight.containment.RecordLimits;
import io.spotlight.events.Json;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for the event records, through the one {@link Json} mapping. Every record Spotlight
 * writes (outputs, repartitions, changelogs) goes through it, and it refuses a value that would
 * not fit in one record: the refusal reaches the exception handlers before anything is sent.
 */
public final class JsonSerde {

    private JsonSerde() {}

    public static <T> Serde<T> of(Class<T> type, RecordLimits limits) {
        Serializer<T> serializer = new Serializer<>() {
            @Override
            public byte[] serialize(String topic, T value) {
                return serialize(topic, null, value);
            }

            @Override
            public byte[] serialize(String topic, Headers headers, T value) {
                if (value == null) {
                    return null;
                }
                byte[] bytes = Json.bytes(value);
                int budget = limits.maxValueBytes(headers);
                if (bytes.length > budget) {
                    throw new OutputTooLargeException(type.getSimpleName() + " for " + topic, bytes.length, budget);
                }
                return bytes;
            }
        };
        Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : Json.read(bytes, type);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}

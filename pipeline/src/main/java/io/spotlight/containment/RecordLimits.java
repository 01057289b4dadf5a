package io.spotlight.containment;

import io.spotlight.config.SpotlightConfig;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * How large a record Spotlight may publish: the smaller of the producer's max.request.size and the
 * topics' max.message.bytes, found at start-up. Every record Spotlight writes is checked against it
 * when it is serialised, so none can be refused by the broker for its size.
 */
public record RecordLimits(int maxRecordBytes) {

    /** Room for a record batch's and a record's framing around key, value and headers (their upper bound is 61 + 21 bytes). */
    static final int FRAMING = 256;

    /** Room kept for a key where the serialiser of a value cannot see it: Spotlight's keys are ids of at most a few hundred bytes. */
    static final int KEY_ALLOWANCE = 1024;

    /** Room for a dead letter's fields besides its original (message, stage, source, headers, exception). */
    static final int LETTER_FIELDS = 8 * 1024 + DeadLetters.MAX_HEADERS * (DeadLetters.MAX_HEADER_VALUE * 4 / 3 + DeadLetters.MAX_KEY);

    /** Kafka's own default (max.request.size), for where no broker is asked (tests, replays). */
    public static final RecordLimits KAFKA_DEFAULT = new RecordLimits(1_048_576);

    public RecordLimits {
        if (maxRecordBytes < 8 * KEY_ALLOWANCE) {
            throw new IllegalArgumentException("a record limit of " + maxRecordBytes + " bytes leaves no room for a record");
        }
    }

    /** The producer's max.request.size as configured (kafka.producer.max.request.size or kafka.max.request.size), else Kafka's default. */
    public static RecordLimits of(SpotlightConfig config) {
        Map<String, String> kafka = config.withPrefix("kafka.");
        String size = kafka.getOrDefault("producer.max.request.size", kafka.get("max.request.size"));
        return size == null ? KAFKA_DEFAULT : new RecordLimits(Integer.parseInt(size.trim()));
    }

    /** These limits, or smaller ones where a topic takes less. */
    public RecordLimits atMost(int topicMaxMessageBytes) {
        return topicMaxMessageBytes < maxRecordBytes ? new RecordLimits(topicMaxMessageBytes) : this;
    }

    /** Bytes left for a value beside these headers and any key Spotlight uses. */
    public int maxValueBytes(Headers headers) {
        return maxRecordBytes - FRAMING - KEY_ALLOWANCE - headerBytes(headers);
    }

    /**
     * The largest original a dead letter carries whole (base64 takes 4 bytes for 3, and the letter's
     * own fields some room): inputs up to this size are never cut.
     */
    public int wholeOriginalBytes() {
        return (maxValueBytes(null) - LETTER_FIELDS) / 4 * 3;
    }

    static int headerBytes(Headers headers) {
        int n = 0;
        if (headers != null) {
            for (Header h : headers) {
                n += h.key().getBytes(StandardCharsets.UTF_8).length + (h.value() == null ? 0 : h.value().length) + 10;
            }
        }
        return n;
    }
}

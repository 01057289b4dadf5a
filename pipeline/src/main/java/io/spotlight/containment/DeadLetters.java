package io.spotlight.containment;

import io.spotlight.events.DeadLetter;
import io.spotlight.events.Json;
import io.spotlight.metrics.SpotlightMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place dead letters are built, whoever refuses a record: a stage that rejects it, or
 * Kafka Streams' exception handlers for what nobody anticipated. Each letter carries where the
 * record came from and its original bytes, cut (with their length and SHA-256) so that the letter
 * always fits in one record; each is logged and counted once.
 */
public final class DeadLetters {

    /** The key under which the Kafka Streams configuration hands this builder to {@link DeadLetterHandler}. */
    public static final String CONFIG = "spotlight.dead-letters";

    static final int MAX_TEXT = 1000;
    static final int MAX_KEY = 256;
    static final int MAX_HEADERS = 16;
    static final int MAX_HEADER_VALUE = 256;

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    /** Where a record came from and what it held; the raw key and value as read, when known. */
    public record Origin(String topic, int partition, long offset, long timestamp, byte[] key, Headers headers, byte[] value) {

        public static Origin unknown(long timestamp) {
            return new Origin(null, -1, -1, timestamp, null, null, null);
        }
    }

    private final String application;
    private final String topic;
    private final RecordLimits limits;
    private final Clock clock;
    private final SpotlightMetrics metrics;

    public DeadLetters(String application, String topic, RecordLimits limits, Clock clock, SpotlightMetrics metrics) {
        this.application = application;
        this.topic = topic;
        this.limits = limits;
        this.clock = clock;
        this.metrics = metrics;
    }

    public String topic() {
        return topic;
    }

    /** A letter for a record a stage refused: the reason says why, the message what exactly. */
    public DeadLetter refused(DeadLetter.Reason reason, String message, String stage, Origin origin, String predictionId) {
        return letter(reason, message, stage, origin, predictionId, null);
    }

    /** A letter for a record whose stage failed with this exception. */
    public DeadLetter failed(DeadLetter.Reason reason, String stage, Origin origin, String predictionId, Throwable cause) {
        return letter(reason, stage + " failed: " + cause, stage, origin, predictionId, cause);
    }

    private DeadLetter letter(DeadLetter.Reason reason, String message, String stage, Origin origin, String predictionId, Throwable cause) {
        String key = origin.key() == null ? null : cut(new String(origin.key(), StandardCharsets.UTF_8), MAX_KEY);
        DeadLetter.Source from = new DeadLetter.Source(origin.topic() == null ? "(none)" : origin.topic(), origin.partition(), origin.offset(),
                origin.timestamp() < 0 ? null : Instant.ofEpochMilli(origin.timestamp()), key, headers(origin.headers()));
        DeadLetter.ExceptionInfo exception = cause == null ? null
                : new DeadLetter.ExceptionInfo(cause.getClass().getName(), cause.getMessage() == null ? null : cut(cause.getMessage(), MAX_TEXT));
        DeadLetter letter = fit(new DeadLetter(reason, cut(message, MAX_TEXT), stage, from, predictionId,
                DeadLetter.Original.of(origin.value()), exception, clock.instant(), application), origin.value());
        log.warn("dead-letter {} from {} at {}:{}:{} ({}): {}", reason.id(), stage, from.topic(), from.partition(), from.offset(),
                predictionId == null ? "no id" : predictionId, letter.message());
        metrics.deadLettered(reason.id(), stage);
        return letter;
    }

    /** The letter with as much of the original as fits in one record beside its key. */
    private DeadLetter fit(DeadLetter letter, byte[] original) {
        int budget = limits.maxValueBytes(null);
        int whole = Json.bytes(letter).length;
        if (whole <= budget) {
            return letter;
        }
        DeadLetter empty = with(letter, DeadLetter.Original.of(original, 0));
        int room = budget - Json.bytes(empty).length;
        // Base64 takes 4 characters for 3 bytes.
        int keep = Math.max(0, room / 4 * 3);
        return with(letter, DeadLetter.Original.of(original, keep));
    }

    private static DeadLetter with(DeadLetter l, DeadLetter.Original original) {
        return new DeadLetter(l.reason(), l.message(), l.stage(), l.source(), l.predictionId(), original, l.exception(), l.at(), l.application());
    }

    /** The record that carries a letter to the dead-letter topic, stamped with the time of its writing. */
    public ProducerRecord<byte[], byte[]> record(DeadLetter letter) {
        return new ProducerRecord<>(topic, null, clock.millis(), keyBytes(letter), Json.bytes(letter));
    }

    /** Dead letters are keyed by prediction id when it is known, else by the source record's key (cut). */
    public static String key(DeadLetter letter) {
        return letter.predictionId() != null ? letter.predictionId() : letter.source().key();
    }

    private static byte[] keyBytes(DeadLetter letter) {
        String key = key(letter);
        return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    private static List<DeadLetter.Header> headers(Headers headers) {
        if (headers == null) {
            return null;
        }
        List<DeadLetter.Header> out = new ArrayList<>();
        for (Header h : headers) {
            if (out.size() == MAX_HEADERS) {
                break;
            }
            byte[] v = h.value();
            out.add(new DeadLetter.Header(cut(h.key(), MAX_KEY), v == null ? null
                    : Base64.getEncoder().encodeToString(v.length > MAX_HEADER_VALUE ? Arrays.copyOf(v, MAX_HEADER_VALUE) : v)));
        }
        return out.isEmpty() ? null : out;
    }

    static String cut(String s, int max) {
        String flat = s.replace('\n', ' ');
        return flat.length() <= max ? flat : flat.substring(0, max) + "... (" + flat.length() + " characters)";
    }
}

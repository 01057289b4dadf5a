package io.spotlight.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A record Spotlight could not process, with its original bytes (schema: schemas/dead-letter.schema.json):
 * why, in which stage, where it came from (topic, partition, offset, key, headers), the exception
 * when one was thrown, and the original bytes, cut with their length and SHA-256 when the whole
 * would not fit in one record.
 */
public record DeadLetter(
        Reason reason,
        String message,
        String stage,
        Source source,
        String predictionId,
        Original original,
        ExceptionInfo exception,
        Instant at,
        String application) {

    /** Why a record was dead-lettered; also the label of the dead-letter counter. */
    public enum Reason implements Identified {
        OVERSIZED, MALFORMED_JSON, SCHEMA_INVALID, UNKNOWN_MODEL, UNSUPPORTED_INPUT, BAD_ENCODING,
        WRONG_SHAPE, NON_FINITE, EMPTY_INPUT, INCONSISTENT_PREDICTION, EXPLAIN_FAILED,
        // Model servers' own formats (Open Inference Protocol, CloudEvents) and the request/response join.
        MALFORMED_PROTOBUF, MALFORMED_CLOUDEVENT, UNKNOWN_DATATYPE, SHAPE_MISMATCH, MISSING_TENSOR, MISSING_ID,
        RESPONSE_WITHOUT_REQUEST, REQUEST_WITHOUT_RESPONSE,
        /** A value-less record (a tombstone) on a topic of events. */
        TOMBSTONE,
        /** Event time outside the configured bounds (a producer with a bad clock). */
        BAD_TIMESTAMP,
        /** The same prediction (or label) again. */
        DUPLICATE,
        /** A label whose prediction did not arrive within the join window. */
        UNKNOWN_PREDICTION,
        /** The input of a prediction could not be read back for its analysis (past the topic's retention). */
        INPUT_UNAVAILABLE,
        /** An explanation that failed (an Error, or the process died) in every attempt allowed. */
        EXPLAIN_CRASHED,
        /** An output Spotlight built that would be larger than a record may be. */
        OVERSIZED_OUTPUT,
        /** An output the broker refused. */
        BROKER_REFUSED,
        /** Any other failure of a stage: the catch-all. */
        INTERNAL_ERROR;
    }

    /** Where the record came from; headers' values in base64. */
    public record Source(String topic, int partition, long offset, Instant timestamp, String key, List<Header> headers) {}

    public record Header(String key, String value) {}

    /** The exception a stage threw. */
    public record ExceptionInfo(@JsonProperty("class") String className, String message) {}

    /**
     * The original bytes: {@code size} is the whole record's length and {@code sha256} its digest;
     * {@code data} holds all of it, or its first bytes when {@code truncated}.
     */
    public record Original(String encoding, int size, String data, Boolean truncated, String sha256) {

        public static Original of(byte[] bytes) {
            return of(bytes, Integer.MAX_VALUE);
        }

        /** The bytes, cut to at most {@code keep} of them. */
        public static Original of(byte[] bytes, int keep) {
            byte[] b = bytes == null ? new byte[0] : bytes;
            boolean cut = b.length > keep;
            byte[] kept = cut ? Arrays.copyOf(b, Math.max(0, keep)) : b;
            return new Original("base64", b.length, Base64.getEncoder().encodeToString(kept), cut ? Boolean.TRUE : null, sha256(b));
        }

        /** The bytes carried (all of them unless truncated). */
        public byte[] bytes() {
            return Base64.getDecoder().decode(data);
        }

        @JsonIgnore
        public boolean isTruncated() {
            return Boolean.TRUE.equals(truncated);
        }

        static String sha256(byte[] bytes) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

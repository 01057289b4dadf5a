package io.spotlight.events;

import java.time.Instant;
import java.util.Base64;

/** A record Spotlight could not process, with its original bytes (schema: schemas/dead-letter.schema.json). */
public record DeadLetter(
        Reason reason,
        String message,
        String stage,
        Source source,
        String predictionId,
        Original original,
        Instant at,
        String application) {

    /** Why a record was dead-lettered; also the label of the dead-letter counter. */
    public enum Reason implements Identified {
        OVERSIZED, MALFORMED_JSON, SCHEMA_INVALID, UNKNOWN_MODEL, UNSUPPORTED_INPUT, BAD_ENCODING,
        WRONG_SHAPE, NON_FINITE, EMPTY_INPUT, INCONSISTENT_PREDICTION, EXPLAIN_FAILED,
        // Model servers' own formats (Open Inference Protocol, CloudEvents) and the request/response join.
        MALFORMED_PROTOBUF, MALFORMED_CLOUDEVENT, UNKNOWN_DATATYPE, SHAPE_MISMATCH, MISSING_TENSOR, MISSING_ID,
        RESPONSE_WITHOUT_REQUEST, REQUEST_WITHOUT_RESPONSE
    }

    public record Source(String topic, int partition, long offset, Instant timestamp, String key) {}

    public record Original(String encoding, int size, String data) {
        public static Original of(byte[] bytes) {
            byte[] b = bytes == null ? new byte[0] : bytes;
            return new Original("base64", b.length, Base64.getEncoder().encodeToString(b));
        }

        public byte[] bytes() {
            return Base64.getDecoder().decode(data);
        }
    }
}

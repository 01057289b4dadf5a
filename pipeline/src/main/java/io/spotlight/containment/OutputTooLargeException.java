package io.spotlight.containment;

import org.apache.kafka.common.errors.SerializationException;

/**
 * An output that would not fit in one record. Thrown while serialising, before anything is sent,
 * so the production exception handler dead-letters it and the transaction goes on.
 */
public final class OutputTooLargeException extends SerializationException {

    public OutputTooLargeException(String what, int bytes, int limit) {
        super(what + " of " + bytes + " bytes is over the " + limit + " a record may hold here");
    }
}

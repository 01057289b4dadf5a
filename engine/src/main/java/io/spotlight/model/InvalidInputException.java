package io.spotlight.model;

import io.spotlight.events.DeadLetter;

/** An input that cannot be given to its model; the reason becomes the dead-letter reason. */
public final class InvalidInputException extends Exception {

    private final DeadLetter.Reason reason;

    public InvalidInputException(DeadLetter.Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DeadLetter.Reason reason() {
        return reason;
    }
}

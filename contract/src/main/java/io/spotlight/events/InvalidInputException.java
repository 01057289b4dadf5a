package io.spotlight.events;

/**
 * A record that cannot be taken as input, whether a message that breaks its protocol or an input its
 * model cannot take; the reason becomes the dead-letter reason.
 */
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

package io.spotlight.oip;

import io.spotlight.events.DeadLetter;

/** A message that does not follow the protocol; the reason becomes the dead-letter reason. */
public final class MalformedMessageException extends Exception {

    private final DeadLetter.Reason reason;

    public MalformedMessageException(DeadLetter.Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DeadLetter.Reason reason() {
        return reason;
    }
}

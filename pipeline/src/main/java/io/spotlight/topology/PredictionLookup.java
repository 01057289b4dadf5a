package io.spotlight.topology;

import io.spotlight.events.PredictionEvent;
import io.spotlight.explanation.ExplainRequest.PredictionSource;
import java.util.Optional;

/** Reads a prediction back from its record, for the analyses that travel without their input. */
public interface PredictionLookup {

    /**
     * The prediction at that record; empty when it is gone for good (past the topic's retention).
     *
     * @throws Unavailable when it cannot be read now (the broker is away): try again later
     */
    Optional<PredictionEvent> read(PredictionSource source);

    /** The record cannot be read now; it may be later. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

package io.spotlight.explanation;

import io.spotlight.events.DeadLetter;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.MisclassificationEvent;

/** What became of one explain request. */
public sealed interface Outcome {

    ExplainRequest request();

    record Explained(ExplainRequest request, ExplanationEvent event) implements Outcome {}

    record Analysed(ExplainRequest request, MisclassificationEvent event) implements Outcome {}

    /**
     * Not explained. {@code retriable} when the engine rather than the record is at fault (nothing
     * of its batch could be explained): worth another try later instead of a dead letter.
     */
    record Failed(ExplainRequest request, DeadLetter.Reason reason, String message, boolean retriable) implements Outcome {

        public Failed(ExplainRequest request, DeadLetter.Reason reason, String message) {
            this(request, reason, message, false);
        }
    }
}

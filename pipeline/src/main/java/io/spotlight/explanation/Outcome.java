package io.spotlight.explanation;

import io.spotlight.events.DeadLetter;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.MisclassificationEvent;

/** What became of one explain request. */
public sealed interface Outcome {

    ExplainRequest request();

    record Explained(ExplainRequest request, ExplanationEvent event) implements Outcome {}

    record Analysed(ExplainRequest request, MisclassificationEvent event) implements Outcome {}

    record Failed(ExplainRequest request, DeadLetter.Reason reason, String message) implements Outcome {}
}

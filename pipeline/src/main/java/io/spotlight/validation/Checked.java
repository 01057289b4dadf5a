package io.spotlight.validation;

import io.spotlight.events.DeadLetter;
import io.spotlight.events.PredictionEvent;

/** The outcome of validating one record: a usable prediction event, or why it was rejected. */
public sealed interface Checked {

    record Valid(PredictionEvent event) implements Checked {}

    record Rejected(DeadLetter.Reason reason, String message, String predictionId) implements Checked {}
}

package io.spotlight.topology;

import io.spotlight.containment.DeadLetters;
import io.spotlight.events.DeadLetter;
import io.spotlight.explanation.ExplainRequest;
import java.nio.charset.StandardCharsets;

/** A label and the prediction it names, or null when none came within the label window. */
record Labelled(SourcedLabel label, PredictionReference prediction) {

    boolean disagrees() {
        return label.label().trueClass() != prediction.event().prediction().classIndex();
    }

    ExplainRequest request() {
        return ExplainRequest.misclassified(prediction.event(), prediction.source(), label.label());
    }

    /** The letter of a label whose prediction never came (or came outside the window). */
    DeadLetter unknownPrediction(DeadLetters letters) {
        String id = label.label().predictionId();
        return letters.refused(DeadLetter.Reason.UNKNOWN_PREDICTION, "no valid prediction " + id + " within labels.join-window-ms of the label",
                LabelProcessor.STAGE, new DeadLetters.Origin(label.topic(), label.partition(), label.offset(), label.label().timestamp().toEpochMilli(),
                        id.getBytes(StandardCharsets.UTF_8), null, label.original()), id);
    }
}

package io.spotlight.explanation;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.spotlight.events.Label;
import io.spotlight.events.PredictionEvent;
import io.spotlight.sampling.SamplingDecision;
import io.spotlight.sampling.SamplingReason;
import java.time.Instant;
import java.util.List;

/**
 * A prediction waiting to be explained (buffered in a changelogged store, or on the explain-requests
 * topic): sampled, or misclassified once its label came, in which case the true class and the
 * label's time come with it.
 */
public record ExplainRequest(PredictionEvent event, SamplingDecision decision, Integer trueClass, Instant labelTimestamp) {

    public ExplainRequest(PredictionEvent event, SamplingDecision decision) {
        this(event, decision, null, null);
    }

    public static ExplainRequest misclassified(PredictionEvent event, Label label) {
        return new ExplainRequest(event, new SamplingDecision(List.of(SamplingReason.MISCLASSIFIED), 0, 0, null),
                label.trueClass(), label.timestamp());
    }

    @JsonIgnore
    public boolean isMisclassification() {
        return trueClass != null;
    }
}

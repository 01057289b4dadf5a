package io.spotlight.explanation;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.spotlight.events.Input;
import io.spotlight.events.Label;
import io.spotlight.events.PredictionEvent;
import io.spotlight.sampling.SamplingDecision;
import io.spotlight.sampling.SamplingReason;
import java.time.Instant;
import java.util.List;

/**
 * A prediction waiting to be explained (buffered in a changelogged store, or on the explain-requests
 * topic): sampled, or misclassified once its label came, in which case the true class and the
 * label's time come with it. A misclassified prediction travels without its input, as a reference
 * to its record ({@code source}): the label join need not hold every input for its whole window,
 * and the explain stage reads the one it needs back.
 */
public record ExplainRequest(PredictionEvent event, SamplingDecision decision, Integer trueClass, Instant labelTimestamp,
                             PredictionSource source) {

    /** Where a prediction's record lies, so that its input can be read back instead of held. */
    public record PredictionSource(String topic, int partition, long offset) {}

    public ExplainRequest(PredictionEvent event, SamplingDecision decision) {
        this(event, decision, null, null, null);
    }

    /** A request to analyse a prediction (held without its input) against the label that contradicts it. */
    public static ExplainRequest misclassified(PredictionEvent withoutInput, PredictionSource source, Label label) {
        return new ExplainRequest(withoutInput, new SamplingDecision(List.of(SamplingReason.MISCLASSIFIED), 0, 0, null),
                label.trueClass(), label.timestamp(), source);
    }

    /** What a request read from a topic lacks to be explained; null when it is complete. */
    @JsonIgnore
    public String missing() {
        if (event == null || event.id() == null || event.model() == null || event.timestamp() == null || event.prediction() == null) {
            return "no complete prediction event";
        }
        if (event.input() == null && source == null) {
            return "no input, and no record to read it from";
        }
        return decision == null ? "no sampling decision" : null;
    }

    @JsonIgnore
    public boolean isMisclassification() {
        return trueClass != null;
    }

    /** Whether the input must be read back from {@code source} before the request can be explained. */
    @JsonIgnore
    public boolean needsInput() {
        return event.input() == null && source != null;
    }

    /** The same request with its prediction's input restored. */
    public ExplainRequest withInput(Input input) {
        PredictionEvent e = event;
        return new ExplainRequest(new PredictionEvent(e.id(), e.model(), e.timestamp(), input, e.prediction(), e.flags(), e.attributes()),
                decision, trueClass, labelTimestamp, source);
    }

    /** The prediction as the label join holds it: everything an analysis needs but the input (and the free attributes). */
    public static PredictionEvent withoutInput(PredictionEvent e) {
        return new PredictionEvent(e.id(), e.model(), e.timestamp(), null, e.prediction(), null, null);
    }
}

package io.spotlight.sampling;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why a prediction is explained; also the key of the explanation plan and a metric label. */
public enum SamplingReason {
    FLAGGED, LOW_CONFIDENCE, SMALL_MARGIN, BASELINE, REQUESTED, MISCLASSIFIED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

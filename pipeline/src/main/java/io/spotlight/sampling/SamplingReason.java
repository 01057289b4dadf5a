package io.spotlight.sampling;

import io.spotlight.events.Identified;

/** Why a prediction is explained; also the key of the explanation plan and a metric label. */
public enum SamplingReason implements Identified {
    FLAGGED, LOW_CONFIDENCE, SMALL_MARGIN, BASELINE, REQUESTED, MISCLASSIFIED
}

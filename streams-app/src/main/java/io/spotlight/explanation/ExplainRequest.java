package io.spotlight.explanation;

import io.spotlight.events.PredictionEvent;
import io.spotlight.sampling.SamplingDecision;

/** A sampled prediction waiting to be explained (buffered in a changelogged store, or on the explain-requests topic). */
public record ExplainRequest(PredictionEvent event, SamplingDecision decision) {}

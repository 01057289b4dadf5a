package io.spotlight.topology;

import io.spotlight.events.PredictionEvent;
import io.spotlight.explanation.ExplainRequest.PredictionSource;

/** What the label join holds for each prediction: the event without its input and where its record lies, or (no such record) the whole event. */
record PredictionReference(PredictionEvent event, PredictionSource source) {}

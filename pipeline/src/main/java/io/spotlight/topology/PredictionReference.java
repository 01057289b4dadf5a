package io.spotlight.topology;

import io.spotlight.events.PredictionEvent;
import io.spotlight.explanation.ExplainRequest.PredictionSource;

/** A prediction without its input, and where its record lies (what the label join holds for each prediction). */
record PredictionReference(PredictionEvent event, PredictionSource source) {}

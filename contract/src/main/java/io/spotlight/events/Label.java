package io.spotlight.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** The true class of a prediction, learnt later (schema: schemas/label.schema.json; topic 'labels'). */
public record Label(String predictionId, @JsonProperty("true_class") int trueClass, Instant timestamp, String source) {}

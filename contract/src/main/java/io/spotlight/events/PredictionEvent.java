package io.spotlight.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A prediction a model server published (schema: schemas/prediction.schema.json). */
public record PredictionEvent(
        String id,
        ModelRef model,
        Instant timestamp,
        Input input,
        Prediction prediction,
        List<String> flags,
        Map<String, Object> attributes) {

    public List<String> flagsOrEmpty() {
        return flags == null ? List.of() : flags;
    }
}

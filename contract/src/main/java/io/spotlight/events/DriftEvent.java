package io.spotlight.events;

import io.spotlight.events.DriftFigures;
import java.time.Instant;

/**
 * One closed window of focus statistics for a model version and a predicted class (or "all"),
 * compared with the reference (schema: schemas/attention-drift.schema.json). While the reference is
 * still being learned from the first windows, {@code figures} is null and {@code reference.source}
 * says "learning".
 */
public record DriftEvent(
        ModelRef model,
        String predictedClass,
        Instant windowStart,
        Instant windowEnd,
        String method,
        long count,
        Reference reference,
        DriftFigures figures,
        float[] meanGrid,
        int[] gridShape,
        Instant timestamp) {

    /** Where the reference came from: "pinned" (a baseline file), "learned" (first windows) or "learning". */
    public record Reference(String source, long count, String detail) {}
}

package io.spotlight.events;

import io.spotlight.events.DriftFigures;
import java.time.Instant;

/**
 * One closed window of focus statistics for a model version and a predicted class (or "all"),
 * compared with the reference (schema: schemas/attention-drift.schema.json). While a model with no
 * history is still learning its first reference, {@code figures} is null and {@code reference.source}
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

    /**
     * The reference that judged the window: "pinned" (the model's baseline file), "champion" (learned
     * from the first windows of {@code version}, an earlier version of the model), "learned" (this
     * version's own first windows: a model with no history) or "learning" (none yet); {@code id}
     * names it (the reference's digest).
     */
    public record Reference(String source, String id, String version, long count, String detail) {}
}

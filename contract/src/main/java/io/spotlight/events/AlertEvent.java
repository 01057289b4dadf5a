package io.spotlight.events;

import java.time.Instant;
import java.util.List;

/**
 * A suspicious-focus alert raised ("firing") or cleared ("resolved") for a model version
 * (schema: schemas/alert.schema.json), with the evidence: the window's figures and the
 * predictions that looked most at forbidden regions or watched tokens, and the reference that judged
 * them. {@code threshold} is the one in force for the window: the null distribution's quantile for
 * its size, or a fixed override ({@code thresholdSource} says which).
 */
public record AlertEvent(
        String id,
        String rule,
        String state,
        String severity,
        ModelRef model,
        String figure,
        double value,
        double threshold,
        String thresholdSource,
        DriftEvent.Reference reference,
        int windows,
        Instant since,
        Instant windowStart,
        Instant windowEnd,
        String message,
        DriftFigures evidence,
        List<String> examplePredictionIds,
        Instant timestamp) {}

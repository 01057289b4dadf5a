package io.spotlight.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.spotlight.events.ExplanationEvent.ClassRef;
import io.spotlight.events.ExplanationEvent.EngineInfo;
import io.spotlight.events.ExplanationEvent.MethodResult;
import io.spotlight.events.FocusStats;
import java.time.Instant;
import java.util.List;

/**
 * A prediction whose true label turned out different, analysed as the chapter does (schema:
 * schemas/misclassification.schema.json; topic 'misclassifications'): the top-5, where the true
 * class ranked and with what probability, the same methods for the predicted and the true class
 * with their focus statistics, and a diagnosis.
 */
public record MisclassificationEvent(
        String id,
        String predictionId,
        ModelRef model,
        Instant timestamp,
        Instant predictionTimestamp,
        Instant labelTimestamp,
        ClassRef predicted,
        @JsonProperty("true") TrueClass trueClass,
        List<ClassRef> top5,
        Diagnosis diagnosis,
        List<MethodResult> predictedExplanations,
        List<MethodResult> trueExplanations,
        FocusStats predictedFocus,
        FocusStats trueFocus,
        EngineInfo engine,
        String digest) {

    /** The true class, its probability and its rank among all classes (1 = top). */
    public record TrueClass(@JsonProperty("class") int classIndex, String label, double probability, int rank) {}

    /** The chapter's three causes, as a code and a sentence. */
    public record Diagnosis(String code, String text) {}
}

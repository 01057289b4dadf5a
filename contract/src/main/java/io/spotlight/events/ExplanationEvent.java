package io.spotlight.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.spotlight.events.FocusStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Attributions for one sampled prediction (schema: schemas/explanation.schema.json). */
public record ExplanationEvent(
        String id,
        String predictionId,
        ModelRef model,
        Instant timestamp,
        Instant predictionTimestamp,
        Sampling sampling,
        ClassRef predicted,
        ClassRef target,
        List<MethodResult> explanations,
        FocusStats focus,
        List<Agreement> agreement,
        Map<String, Object> attributes,
        EngineInfo engine,
        String digest) {

    /** An event without agreement figures (no attention and integrated-gradients map side by side). */
    public ExplanationEvent(String id, String predictionId, ModelRef model, Instant timestamp, Instant predictionTimestamp,
                            Sampling sampling, ClassRef predicted, ClassRef target, List<MethodResult> explanations, FocusStats focus,
                            Map<String, Object> attributes, EngineInfo engine, String digest) {
        this(id, predictionId, model, timestamp, predictionTimestamp, sampling, predicted, target, explanations, focus, null,
                attributes, engine, digest);
    }

    /** Why the prediction was sampled: the reason that chose the plan, and every reason that held. */
    public record Sampling(String reason, List<String> reasons, Double top1, Double margin) {}

    public record ClassRef(@JsonProperty("class") int classIndex, String label, Double probability) {}

    /** One method's result: its parameters, the map, summary numbers, what it cost, and, when scored, how faithful the map is. */
    public record MethodResult(
            String method,
            Map<String, Object> parameters,
            EncodedMap map,
            List<String> tokens,
            Map<String, Double> summary,
            double elapsedMs,
            Faithfulness faithfulness) {

        /** A result that was not scored. */
        public MethodResult(String method, Map<String, Object> parameters, EncodedMap map, List<String> tokens, Map<String, Double> summary,
                            double elapsedMs) {
            this(method, parameters, map, tokens, summary, elapsedMs, null);
        }

        /** The same result with its faithfulness curves. */
        public MethodResult scored(Faithfulness f) {
            return new MethodResult(method, parameters, map, tokens, summary, elapsedMs, f);
        }
    }

    /** Where the numbers were computed; a replay on the same engine and device must match bit for bit. */
    public record EngineInfo(String name, String version, String djl, String device, String spotlight) {}
}

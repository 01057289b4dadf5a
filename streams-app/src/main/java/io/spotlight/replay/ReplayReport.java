package io.spotlight.replay;

import io.spotlight.events.ExplanationEvent.EngineInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an audit replay found: the range and how it was read, how many records were scanned,
 * sampled and re-explained, how many came out identical to what was published (digest equal),
 * within tolerance (another engine or device), or different, which were missing from the original
 * or extra in it, which the output refused (lost), and for a what-if replay (another model version)
 * how the explanations differ.
 */
public record ReplayReport(
        String application,
        String topic,
        String from,
        String to,
        Map<Integer, TopicRange.Span> spans,
        String model,
        String modelVersion,
        double tolerance,
        Instant started,
        double seconds,
        EngineInfo engine,
        List<EngineInfo> originalEngines,
        Counts counts,
        Map<String, Long> modelVersions,
        MethodDeviation largestDeviation,
        List<Difference> differences,
        List<String> missingFromOriginal,
        List<String> extra,
        List<String> failed,
        List<String> lost,
        Map<String, WhatIf> whatIf) {

    public record Counts(long scanned, long invalid, long otherModels, long sampled, long reExplained, long identical,
                         long withinTolerance, long different, long whatIf, long missingFromOriginal, long extra, long failed, long lost) {

        /** The audit passed: nothing differs, is missing, extra or failed, and every re-explained event reached the output. */
        public boolean clean() {
            return different == 0 && missingFromOriginal == 0 && extra == 0 && failed == 0 && lost == 0;
        }

        public double identicalShare() {
            long compared = identical + withinTolerance + different;
            return compared == 0 ? 0 : (double) identical / compared;
        }
    }

    /** How far one method's replayed map is from the published one. */
    public record MethodDeviation(String predictionId, String method, double maxAbs, double relative, double meanAbs, double jsDivergence) {}

    /**
     * A record whose replayed explanation is not bit-identical to the published one. Verdict:
     * "different" (same engine and device: determinism broken), "within-tolerance" or "different"
     * (another engine or device), or "tampered" (the published maps do not match their own digest).
     */
    public record Difference(String predictionId, String model, String verdict, String originalDigest, String replayedDigest,
                             String originalEngine, String replayedEngine, List<MethodDeviation> methods, String picture) {}

    /** Per method, over a what-if replay: how much the other version's maps differ from the published ones. */
    public record WhatIf(long count, double meanJsDivergence, double meanAbsDifference, double maxRelative) {}
}

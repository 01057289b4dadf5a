package io.spotlight.sampling;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.events.Prediction;
import io.spotlight.events.PredictionEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which predictions are worth explaining: upstream flags, low confidence (top-1 under a
 * threshold), a small top-1/top-2 margin, and a random baseline share that drift references need.
 * The baseline draw hashes the seed with the prediction id, so the same record always gets the
 * same decision, in replays too.
 */
public final class SamplingPolicy {

    private final double lowConfidence;
    private final double margin;
    private final Set<String> flags;
    private final boolean anyFlag;
    private final double baselineRate;
    private final long seed;

    /** @param flags the flags that count, or null for any flag */
    public SamplingPolicy(double lowConfidence, double margin, Set<String> flags, double baselineRate, long seed) {
        if (baselineRate < 0 || baselineRate > 1) {
            throw new IllegalArgumentException("sampling.baseline-rate must be in [0, 1], got " + baselineRate);
        }
        this.lowConfidence = lowConfidence;
        this.margin = margin;
        this.anyFlag = flags == null;
        this.flags = flags == null ? Set.of() : Set.copyOf(flags);
        this.baselineRate = baselineRate;
        this.seed = seed;
    }

    /** "*" for any flag, "" for none, else a comma-separated list. */
    /** The policy the sampling.* settings describe (the live stream and replays sample alike). */
    public static SamplingPolicy of(SpotlightConfig c) {
        return new SamplingPolicy(c.real("sampling.low-confidence"), c.real("sampling.margin"), parseFlags(c.get("sampling.flags")),
                c.real("sampling.baseline-rate"), c.longValue("sampling.seed"));
    }

    public static Set<String> parseFlags(String spec) {
        String s = spec.trim();
        if (s.equals("*")) {
            return null;
        }
        return s.isEmpty() ? Set.of() : Set.of(s.split("\\s*,\\s*"));
    }

    public SamplingDecision decide(PredictionEvent event) {
        List<Prediction.ClassProbability> ranked = event.prediction().ranked();
        double top1 = ranked.get(0).probability();
        double top2 = ranked.size() > 1 ? ranked.get(1).probability() : 0.0;
        List<SamplingReason> reasons = new ArrayList<>(2);
        if (event.flagsOrEmpty().stream().anyMatch(f -> anyFlag || flags.contains(f))) {
            reasons.add(SamplingReason.FLAGGED);
        }
        if (top1 < lowConfidence) {
            reasons.add(SamplingReason.LOW_CONFIDENCE);
        }
        if (top1 - top2 < margin) {
            reasons.add(SamplingReason.SMALL_MARGIN);
        }
        if (reasons.isEmpty() && draw(event.id()) < baselineRate) {
            reasons.add(SamplingReason.BASELINE);
        }
        return new SamplingDecision(List.copyOf(reasons), top1, top1 - top2, reasons.isEmpty() ? "confident" : null);
    }

    /** A uniform number in [0, 1) fixed by the seed and the prediction id. */
    double draw(String predictionId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
            byte[] h = sha.digest(predictionId.getBytes(StandardCharsets.UTF_8));
            long bits = ByteBuffer.wrap(h).getLong() >>> 11;
            return bits * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

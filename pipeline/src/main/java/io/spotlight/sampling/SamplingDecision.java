package io.spotlight.sampling;

import java.util.List;

/**
 * The sampler's verdict on one prediction: every reason that held (most important first), the
 * figures it looked at, and if it is not explained, why not ("confident" or "budget").
 */
public record SamplingDecision(List<SamplingReason> reasons, double top1, double margin, String skipped) {

    public boolean sampled() {
        return skipped == null;
    }

    /** The reason that chooses the explanation plan; a request the sampler gave no reason for is "requested". */
    public SamplingReason reason() {
        return reasons.isEmpty() ? SamplingReason.REQUESTED : reasons.get(0);
    }

    public SamplingDecision overBudget() {
        return new SamplingDecision(reasons, top1, margin, "budget");
    }
}

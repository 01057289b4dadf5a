package io.spotlight.events;

import java.util.List;

/**
 * What a window's scored explanations say about whether they can be trusted (attention-drift
 * events): per method, the mean gains of its maps' deletion and insertion curves over a random
 * order of the same records; per pair of an attention and an integrated-gradients method, their
 * mean agreement.
 */
public record WindowScores(List<MethodFaithfulness> faithfulness, List<PairAgreement> agreement) {

    /** A method's scored maps in the window: how many, their mean gains and areas. */
    public record MethodFaithfulness(String method, long scored, double deletionGain, double insertionGain, double deletionAuc,
                                     double insertionAuc) {}

    /** An attention and an integrated-gradients method's maps of the same records: how many, their mean Spearman correlation and top-k overlap. */
    public record PairAgreement(String attention, String gradient, long count, Double spearman, double topKOverlap) {}
}

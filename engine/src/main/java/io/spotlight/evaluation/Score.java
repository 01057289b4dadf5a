package io.spotlight.evaluation;

import io.spotlight.attribution.Declared;
import io.spotlight.attribution.MethodParameters;
import io.spotlight.events.Identified;

/**
 * The scores that judge an explanation rather than the model, by the names used in configuration,
 * events and the CLI, each with the class that computes it (and declares its parameters) and what
 * it measures, in one line.
 */
public enum Score implements Declared {
    DELETION(new DeletionCurve(), "target probability as the most attributed units are removed, k steps; "
            + "area under it (lower: more faithful) vs a random ordering of the same record (Petsiuk et al. 2018)"),
    INSERTION(new InsertionCurve(), "target probability as the most attributed units are revealed on the removed input, k steps; "
            + "area under it (higher: more faithful) vs a random ordering of the same record"),
    ATTENTION_GRADIENT_AGREEMENT(new AttentionGradientAgreement(), "Spearman rank correlation and top-k overlap of an attention map "
            + "(attention, attention-rollout) and an integrated-gradients map of the same record, over patches or tokens");

    private final ExplanationScore implementation;
    private final String summary;

    Score(ExplanationScore implementation, String summary) {
        this.implementation = implementation;
        this.summary = summary;
    }

    public static Score of(String id) {
        return Identified.of(Score.class, id);
    }

    /** What the score measures, in one line (Markdown). */
    public String summary() {
        return summary;
    }

    @Override
    public MethodParameters parameters() {
        return implementation.parameters();
    }

    ExplanationScore implementation() {
        return implementation;
    }

    @Override
    public String toString() {
        return id();
    }
}

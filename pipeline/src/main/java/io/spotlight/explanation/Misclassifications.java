package io.spotlight.explanation;

import io.spotlight.events.MisclassificationEvent.Diagnosis;
import java.util.Locale;

/**
 * The chapter's reading of a misclassification from where the true class ended up: hardly
 * considered (probability under 1 %), a borderline case (ranked in the top 5), or otherwise a
 * problem with the input itself.
 */
public final class Misclassifications {

    public static final double HARDLY_CONSIDERED = 0.01;
    public static final int BORDERLINE_RANK = 5;

    private Misclassifications() {}

    public static Diagnosis diagnose(double trueProbability, int trueRank) {
        if (trueProbability < HARDLY_CONSIDERED) {
            return new Diagnosis("true-class-hardly-considered", String.format(Locale.ROOT,
                    "The model hardly considered the true class (probability %.2f %%, rank %d): the training data may lack examples like this one.",
                    100 * trueProbability, trueRank));
        }
        if (trueRank <= BORDERLINE_RANK) {
            return new Diagnosis("borderline", String.format(Locale.ROOT,
                    "The true class is near the top (rank %d, probability %.2f %%): a borderline case between similar classes.",
                    trueRank, 100 * trueProbability));
        }
        return new Diagnosis("input-quality-or-occlusion", String.format(Locale.ROOT,
                "The true class ranked %d (probability %.2f %%): the input's quality or preprocessing may be at fault, or the object is partly hidden.",
                trueRank, 100 * trueProbability));
    }
}

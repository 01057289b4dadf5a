package io.spotlight.focus;

import io.spotlight.events.DriftFigures;
import io.spotlight.events.Identified;
import java.util.function.Function;

/**
 * A statistic of a window compared with its reference, read from the window's {@link DriftFigures}.
 * Each gets its null distribution from {@link NullDistribution} with no code of its own: a new
 * statistic is a field of DriftFigures (computed in {@link FocusWindow#compareWith}) and an entry here.
 */
public enum WindowStatistic implements Identified {
    JS_DIVERGENCE(DriftFigures::jsDivergence),
    CENTRE_SHIFT(DriftFigures::centreShift),
    FORBIDDEN_MASS(DriftFigures::forbiddenMass),
    FORBIDDEN_CHANGE(DriftFigures::forbiddenChange),
    ENTROPY(DriftFigures::entropy),
    ENTROPY_CHANGE(DriftFigures::entropyChange),
    WATCH_MASS(DriftFigures::watchMass),
    TOP_TOKEN_RANK_CHANGE(DriftFigures::topTokenRankChange),
    TOKEN_NDCG(DriftFigures::tokenNdcg),
    DELETION_GAIN(f -> f.faithfulness() == null ? null : f.faithfulness().deletionGain()),
    INSERTION_GAIN(f -> f.faithfulness() == null ? null : f.faithfulness().insertionGain()),
    /** How far the scored maps' mean gain fell below the reference's: positive when the explanations became less faithful. */
    FAITHFULNESS_DROP(f -> f.faithfulness() == null ? null : f.faithfulness().drop());

    private final Function<DriftFigures, Double> read;

    WindowStatistic(Function<DriftFigures, Double> read) {
        this.read = read;
    }

    /** The statistic's value in these figures, or null where it does not apply (text measures of an image window). */
    public Double of(DriftFigures f) {
        return read.apply(f);
    }

    /** Whether the statistic means something for a text (or an image) model's windows. */
    public boolean applies(boolean text) {
        return switch (this) {
            case WATCH_MASS, TOP_TOKEN_RANK_CHANGE, TOKEN_NDCG -> text;
            case FORBIDDEN_MASS, FORBIDDEN_CHANGE -> !text;
            default -> true;
        };
    }

    public static WindowStatistic of(String id) {
        return Identified.of(WindowStatistic.class, id);
    }
}

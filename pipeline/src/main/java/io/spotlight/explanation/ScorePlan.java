package io.spotlight.explanation;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.evaluation.Score;
import io.spotlight.evaluation.ScoreCall;
import io.spotlight.model.ModelCard;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Which explanations are scored, and with what parameters. A share of the explained records
 * ({@code faithfulness.share}) gets deletion and insertion curves for every method's map, chosen by
 * the record's seed so a replay scores the same records; attention-gradient agreement costs no
 * model pass and is computed wherever both maps are. Parameters as for methods:
 * <pre>
 * explain.score.deletion.steps = 20                     (every model)
 * explain.score.fashion-cnn.insertion.blur-sigma = 5    (one model)
 * </pre>
 * over the model card's {@code parameters} for the score's id.
 */
public final class ScorePlan {

    /** The draw that picks the scored records is apart from every other draw made from the record's seed. */
    private static final long SALT = 0xFA17F0C5L * 0x9E3779B97F4A7C15L;

    private final double share;
    private final Map<String, String> parameters;

    /** Score parameters by [model.]score.parameter, each checked now. */
    public ScorePlan(double share, Map<String, String> parameters) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("faithfulness.share must be in [0, 1], got " + share);
        }
        parameters.forEach((k, v) -> ExplanationPlan.check("explain.score.", "score", k, v, Score::of));
        this.share = share;
        this.parameters = Map.copyOf(parameters);
    }

    public static ScorePlan from(SpotlightConfig config) {
        return new ScorePlan(config.real("faithfulness.share"), config.withPrefix("explain.score."));
    }

    /** Whether a record (by its seed) is in the share whose explanations get curves. */
    public boolean scores(long recordSeed) {
        return share > 0 && new SplittableRandom(recordSeed ^ SALT).nextDouble() < share;
    }

    /** The curve scores a model's explanations get, with their parameters. */
    public List<ScoreCall> curves(ModelCard card) {
        return List.of(call(card, Score.DELETION), call(card, Score.INSERTION));
    }

    /** The agreement score's call for a model. */
    public ScoreCall agreement(ModelCard card) {
        return call(card, Score.ATTENTION_GRADIENT_AGREEMENT);
    }

    private ScoreCall call(ModelCard card, Score score) {
        return new ScoreCall(score, ExplanationPlan.parametersFor(card, score, parameters));
    }
}

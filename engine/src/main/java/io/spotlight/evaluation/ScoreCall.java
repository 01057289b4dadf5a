package io.spotlight.evaluation;

import java.util.Map;

/** A score and the parameters it is asked to run with (unset ones take the score's defaults). */
public record ScoreCall(Score score, Map<String, String> parameters) {

    public ScoreCall {
        parameters = Map.copyOf(parameters);
    }

    public static ScoreCall of(Score score) {
        return new ScoreCall(score, Map.of());
    }
}

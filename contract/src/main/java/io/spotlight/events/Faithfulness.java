package io.spotlight.events;

import java.util.Map;

/**
 * How faithful one method's map is to the model, on a sampled share of explanations: its deletion
 * and insertion curves (Petsiuk et al. 2018), each against a random ordering of the same record.
 *
 * @param deletion target probability as the most attributed units are removed (null: not scored)
 * @param insertion target probability as they are revealed on the removed input (null: not scored)
 * @param elapsedMs what scoring the record cost (every curve of every method), amortised over its batch
 */
public record Faithfulness(Curve deletion, Curve insertion, double elapsedMs) {

    /**
     * One curve of one map.
     *
     * @param parameters every parameter, defaults and the record's seed included
     * @param units how many units the record has (pixels, or words)
     * @param fractions the fraction of units taken at each step, 0 to 1 (k + 1 values)
     * @param probabilities the target probability at each step, units taken in attribution order
     * @param randomProbabilities the same in random order (mean over the record's random orderings)
     * @param auc area under {@code probabilities} over {@code fractions} (trapezoids)
     * @param randomAuc area under {@code randomProbabilities}
     * @param gain how much better than random: random minus attribution area for deletion, the
     *     reverse for insertion; positive when the map ranks first what the model uses
     */
    public record Curve(Map<String, Object> parameters, int units, double[] fractions, double[] probabilities,
                        double[] randomProbabilities, double auc, double randomAuc, double gain) {}
}

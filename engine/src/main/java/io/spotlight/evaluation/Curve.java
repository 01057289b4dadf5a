package io.spotlight.evaluation;

import java.util.Map;

/**
 * One score's curve for one attribution of one record: the target probability after each of the
 * k steps, in attribution order and (the mean over the record's random orderings) in random order,
 * the areas under both over the fraction of units taken, and how much better than random the
 * attribution order is.
 *
 * @param score deletion or insertion
 * @param parameters every parameter, defaults and the record's seed included
 * @param units how many units the record has (pixels, or words)
 * @param fractions the fraction of units removed or revealed at each step, 0 to 1 (k + 1 values)
 * @param probabilities the target probability at each step, units taken in attribution order
 * @param randomProbabilities the same, units taken in random order (mean over the random orderings)
 * @param auc area under {@code probabilities} over {@code fractions} (trapezoids)
 * @param randomAuc area under {@code randomProbabilities}
 * @param gain how much better than random: random minus attribution area for deletion, the
 *     reverse for insertion; positive when the explanation ranks what the model uses first
 */
public record Curve(Score score, Map<String, Object> parameters, int units, double[] fractions, double[] probabilities,
                    double[] randomProbabilities, double auc, double randomAuc, double gain) {

    /** The area under a curve by the trapezoid rule. */
    static double area(double[] x, double[] y) {
        double a = 0;
        for (int i = 1; i < x.length; i++) {
            a += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
        }
        return a;
    }
}

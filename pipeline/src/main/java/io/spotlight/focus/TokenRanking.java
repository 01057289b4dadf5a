package io.spotlight.focus;

import java.util.List;
import java.util.Map;

/**
 * How far a window's ranking of tokens by attribution keeps the reference's: the normalised
 * discounted cumulative gain of the window's top k against the reference's attribution mass (the
 * feature-attribution drift that model-monitoring services compute for tabular features, e.g.
 * SageMaker Clarify): DCG = sum over the window's top k of rel(token_i) / log2(i + 1), with rel a
 * token's mean mass in the reference (0 for a token it does not rank), divided by the same sum
 * over the reference's own top k. 1: the reference's most attended tokens lead the window in its
 * order; 0: none of them is among the window's top k.
 */
public final class TokenRanking {

    private TokenRanking() {}

    /**
     * @param window the window's tokens, most attended first
     * @param reference the reference's tokens, most attended first, with their mean mass
     * @param k how many of the top tokens count
     * @return nDCG@k in [0, 1]; NaN when the reference has no mass to rank by
     */
    public static double ndcg(List<String> window, Map<String, Double> reference, int k) {
        List<Map.Entry<String, Double>> ideal = reference.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey())).toList();
        double idcg = 0;
        for (int i = 0; i < Math.min(k, ideal.size()); i++) {
            idcg += ideal.get(i).getValue() / log2(i + 2);
        }
        if (!(idcg > 0)) {
            return Double.NaN;
        }
        double dcg = 0;
        for (int i = 0; i < Math.min(k, window.size()); i++) {
            dcg += reference.getOrDefault(window.get(i), 0.0) / log2(i + 2);
        }
        return dcg / idcg;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}

package io.spotlight.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How far an attention map and an integrated-gradients map of the same record rank its units
 * (patches or words) alike.
 *
 * @param attention the attention method (attention, attention-rollout)
 * @param gradient the integrated-gradients method (integrated-gradients, layer-integrated-gradients)
 * @param spearman Spearman's rank correlation of the two (ties at their mean rank); null when either is constant
 * @param topKOverlap |top-k(attention) ∩ top-k(|gradient|)| / k
 * @param k the size of the top sets: the top-k parameter, at most the units
 * @param units how many units were ranked
 */
public record Agreement(String attention, String gradient, Double spearman, @JsonProperty("top_k_overlap") double topKOverlap, int k,
                        int units) {}

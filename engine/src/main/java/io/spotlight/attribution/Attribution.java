package io.spotlight.attribution;

import java.util.List;
import java.util.Map;

/**
 * What a method found for one record.
 *
 * @param raw the attribution itself: input-shaped for gradient methods, the activation grid for
 *     CAMs, the selected attention matrix for attention methods
 * @param map what people look at: height x width for images, one value per token for text
 * @param tokens the token at each map position (text models), else null
 * @param parameters every parameter, defaults and seeds included, enough to reproduce it
 * @param summary numbers worth publishing (IG: the completeness delta and both logits)
 * @param extras further views (attention per layer/head, head means, the rollout matrix)
 * @param elapsedMs compute time, amortised over the batch it was computed in
 */
public record Attribution(
        Method method,
        Map<String, Object> parameters,
        Tensor raw,
        Tensor map,
        List<String> tokens,
        Map<String, Double> summary,
        Map<String, Tensor> extras,
        double elapsedMs) {}

package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import io.spotlight.events.Identified;

/**
 * How an attribution tensor becomes a map: over the channel axis of an image ([R, C, H, W] to
 * [R, H, W]) or the embedding axis of tokens ([R, T, D] to [R, T]). The chapter uses the absolute
 * maximum for gradients and the absolute sum for integrated gradients; for tokens, the sum (the
 * signed contribution of the token) or the L2 norm (the size of its gradient).
 */
enum Reduction implements Identified {
    ABS_MAX, SUM, ABS_SUM, L2;

    static final String DOC = "How the attribution becomes a map: over an image's channels or a token's embedding.";

    /** The parameter of the gradient methods: the absolute maximum for images (the chapter's), else {@code forTokens}. */
    static ParameterSpec<Reduction> parameter(Reduction forTokens) {
        return ParameterSpec.choice("reduction", Reduction.class, DOC)
                .byDefault("`abs-max` for images, else `" + forTokens.id() + "`",
                        p -> Differentiable.imageLike(p.card()) ? ABS_MAX : forTokens);
    }

    NDArray apply(NDArray attributions, boolean image) {
        int axis = image ? 1 : attributions.getShape().dimension() - 1;
        return switch (this) {
            case ABS_MAX -> attributions.abs().max(new int[] {axis});
            case SUM -> attributions.sum(new int[] {axis});
            case ABS_SUM -> attributions.abs().sum(new int[] {axis});
            case L2 -> attributions.square().sum(new int[] {axis}).sqrt();
        };
    }
}

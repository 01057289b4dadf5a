package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How an attribution tensor becomes a map: over the channel axis of an image ([R, C, H, W] to
 * [R, H, W]) or the embedding axis of tokens ([R, T, D] to [R, T]). The chapter uses the absolute
 * maximum for gradients and the absolute sum for integrated gradients; for tokens, the sum (the
 * signed contribution of the token) or the L2 norm (the size of its gradient).
 */
enum Reduction {
    ABS_MAX, SUM, ABS_SUM, L2;

    static final Set<String> IDS = Arrays.stream(values()).map(Reduction::id).collect(Collectors.toUnmodifiableSet());

    String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Reduction of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
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

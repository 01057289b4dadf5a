package io.spotlight.attribution;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The attribution methods, by the names used in configuration, events and the CLI. */
public enum Method {
    SALIENCY,
    GRADIENT_X_INPUT,
    SMOOTHGRAD,
    INTEGRATED_GRADIENTS,
    GRAD_CAM,
    GRAD_CAM_PLUS_PLUS,
    LAYER_INTEGRATED_GRADIENTS,
    ATTENTION,
    ATTENTION_ROLLOUT;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Method of(String id) {
        for (Method m : values()) {
            if (m.id().equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + id + "'; known: "
                + Arrays.stream(values()).map(Method::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id();
    }
}

package io.spotlight.attribution;

import io.spotlight.events.Identified;

/** The attribution methods, by the names used in configuration, events and the CLI. */
public enum Method implements Identified {
    SALIENCY,
    GRADIENT_X_INPUT,
    SMOOTHGRAD,
    INTEGRATED_GRADIENTS,
    GRAD_CAM,
    GRAD_CAM_PLUS_PLUS,
    LAYER_INTEGRATED_GRADIENTS,
    ATTENTION,
    ATTENTION_ROLLOUT;

    public static Method of(String id) {
        return Identified.of(Method.class, id);
    }

    @Override
    public String toString() {
        return id();
    }
}

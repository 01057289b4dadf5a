package io.spotlight.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Backward passes without DJL's GradientCollector, of which only one may exist in a JVM at a
 * time: libtorch's grad mode is per thread, so every stream thread enables it for itself and
 * runs its own backward, with no global lock. The only PyTorch-specific code of the attribution
 * engine lives here.
 */
public final class Autograd {

    private Autograd() {}

    /** Turns on gradient recording for the calling thread; cheap, call before each forward. */
    public static void enable() {
        JniUtils.setGradMode(true);
    }

    /** Turns gradient recording off for the calling thread: forward-only methods keep no graph. */
    public static void disable() {
        JniUtils.setGradMode(false);
    }

    /** Back-propagates {@code seed} (the vector of the vector-Jacobian product) from {@code output}; frees the graph. */
    public static void backward(NDArray output, NDArray seed) {
        JniUtils.backward((PtNDArray) output, (PtNDArray) seed, false, false);
    }
}

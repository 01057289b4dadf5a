package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;

/** Grad-CAM (Selvaraju et al. 2017): channel weights are the spatial mean of the gradient. */
public final class GradCam extends BaseCam {

    @Override
    public Method method() {
        return Method.GRAD_CAM;
    }

    @Override
    protected NDArray weights(NDArray activations, NDArray gradients) {
        long cells = gradients.getShape().get(2) * gradients.getShape().get(3);
        return gradients.sum(new int[] {2, 3}).div(cells);
    }
}

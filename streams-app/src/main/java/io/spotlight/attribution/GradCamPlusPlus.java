package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * Grad-CAM++ (Chattopadhay et al. 2018) in the closed form pytorch-grad-cam computes:
 * alpha = g^2 / (2 g^2 + (sum_ij A) g^3 + 1e-6), alpha = 0 where g = 0, and channel weights
 * sum_ij alpha * ReLU(g).
 */
public final class GradCamPlusPlus extends BaseCam {

    @Override
    public Method method() {
        return Method.GRAD_CAM_PLUS_PLUS;
    }

    @Override
    protected NDArray weights(NDArray activations, NDArray gradients) {
        NDArray g2 = gradients.square();
        NDArray g3 = g2.mul(gradients);
        NDArray sumA = activations.sum(new int[] {2, 3}, true);
        NDArray alpha = g2.div(g2.mul(2).add(sumA.mul(g3)).add(1e-6f));
        alpha = NDArrays.where(gradients.neq(0f), alpha, alpha.zerosLike());
        return gradients.maximum(0f).mul(alpha).sum(new int[] {2, 3});
    }
}

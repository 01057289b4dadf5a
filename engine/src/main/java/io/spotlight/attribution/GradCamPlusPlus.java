package io.spotlight.attribution;

/**
 * Grad-CAM++ (Chattopadhay et al. 2018) in the closed form pytorch-grad-cam computes:
 * alpha = g^2 / (2 g^2 + (sum_ij A) g^3 + 1e-6), alpha = 0 where g = 0, and channel weights
 * sum_ij alpha * ReLU(g).
 */
public final class GradCamPlusPlus extends BaseCam {

    public GradCamPlusPlus() {
        super(Method.GRAD_CAM_PLUS_PLUS);
    }

    @Override
    protected float[] weights(float[] activations, float[] gradients, int offset, int channels, int cells) {
        float[] w = new float[channels];
        for (int k = 0; k < channels; k++) {
            int base = offset + k * cells;
            float sumA = 0;
            for (int c = 0; c < cells; c++) {
                sumA += activations[base + c];
            }
            float weight = 0;
            for (int c = 0; c < cells; c++) {
                float g = gradients[base + c];
                if (g != 0) {
                    float g2 = g * g;
                    float alpha = g2 / (2 * g2 + sumA * g2 * g + 1e-6f);
                    weight += Math.max(g, 0f) * alpha;
                }
            }
            w[k] = weight;
        }
        return w;
    }
}

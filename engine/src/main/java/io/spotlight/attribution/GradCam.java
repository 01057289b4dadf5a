package io.spotlight.attribution;

/** Grad-CAM (Selvaraju et al. 2017): channel weights are the spatial mean of the gradient. */
public final class GradCam extends BaseCam {

    public GradCam() {
        super(Method.GRAD_CAM);
    }

    @Override
    protected float[] weights(float[] activations, float[] gradients, int offset, int channels, int cells) {
        float[] w = new float[channels];
        for (int k = 0; k < channels; k++) {
            float sum = 0;
            for (int c = 0; c < cells; c++) {
                sum += gradients[offset + k * cells + c];
            }
            w[k] = sum / cells;
        }
        return w;
    }
}

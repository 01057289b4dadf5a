package io.spotlight.numeric;

/**
 * Gaussian blur of [C, H, W] planes as torchvision's {@code gaussian_blur} does it: a normalised
 * kernel sampled at integer offsets, reflect padding; applied separably. The kernel is shrunk to
 * the largest odd size reflect padding allows (2 * min(H, W) - 1) for images smaller than it.
 */
public final class GaussianBlur {

    private GaussianBlur() {}

    /** The kernel size actually used for an image of h x w. */
    public static int effectiveKernel(int kernel, int h, int w) {
        int max = 2 * Math.min(h, w) - 1;
        int k = Math.min(kernel, max);
        return k % 2 == 1 ? k : k - 1;
    }

    public static float[] blur(float[] planes, int channels, int h, int w, int kernel, double sigma) {
        int k = effectiveKernel(kernel, h, w);
        double[] weights = kernel1d(k, sigma);
        int half = k / 2;
        float[] out = new float[planes.length];
        double[] tmp = new double[h * w];
        for (int c = 0; c < channels; c++) {
            int base = c * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int j = 0; j < k; j++) {
                        s += weights[j] * planes[base + y * w + reflect(x + j - half, w)];
                    }
                    tmp[y * w + x] = s;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int j = 0; j < k; j++) {
                        s += weights[j] * tmp[reflect(y + j - half, h) * w + x];
                    }
                    out[base + y * w + x] = (float) s;
                }
            }
        }
        return out;
    }

    static double[] kernel1d(int k, double sigma) {
        double[] kernel = new double[k];
        double half = (k - 1) * 0.5;
        double sum = 0;
        for (int i = 0; i < k; i++) {
            double x = -half + i;
            kernel[i] = Math.exp(-0.5 * (x / sigma) * (x / sigma));
            sum += kernel[i];
        }
        for (int i = 0; i < k; i++) {
            kernel[i] /= sum;
        }
        return kernel;
    }

    /** Reflect padding without repeating the edge (PyTorch's "reflect"). */
    private static int reflect(int i, int n) {
        if (i < 0) {
            return -i;
        }
        if (i >= n) {
            return 2 * (n - 1) - i;
        }
        return i;
    }
}

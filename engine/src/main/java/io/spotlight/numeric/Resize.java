package io.spotlight.numeric;

/**
 * Resampling of a 2-D map: bilinear with half-pixel centres (PyTorch's
 * {@code interpolate(mode="bilinear", align_corners=False)}, OpenCV's INTER_LINEAR), the
 * upsampling Grad-CAM and the ViT attention maps use; and halving by area means, which keeps a
 * map's mass where it was when a coarser copy must do.
 */
public final class Resize {

    private Resize() {}

    public static float[] bilinear(float[] src, int srcH, int srcW, int dstH, int dstW) {
        if (srcH == dstH && srcW == dstW) {
            return src.clone();
        }
        float[] out = new float[dstH * dstW];
        float scaleY = (float) srcH / dstH;
        float scaleX = (float) srcW / dstW;
        for (int y = 0; y < dstH; y++) {
            float sy = Math.max(0f, (y + 0.5f) * scaleY - 0.5f);
            int y0 = Math.min((int) sy, srcH - 1);
            int y1 = Math.min(y0 + 1, srcH - 1);
            float ly = sy - y0;
            for (int x = 0; x < dstW; x++) {
                float sx = Math.max(0f, (x + 0.5f) * scaleX - 0.5f);
                int x0 = Math.min((int) sx, srcW - 1);
                int x1 = Math.min(x0 + 1, srcW - 1);
                float lx = sx - x0;
                float top = (1 - lx) * src[y0 * srcW + x0] + lx * src[y0 * srcW + x1];
                float bottom = (1 - lx) * src[y1 * srcW + x0] + lx * src[y1 * srcW + x1];
                out[y * dstW + x] = (1 - ly) * top + ly * bottom;
            }
        }
        return out;
    }

    /** The map at half the resolution, ceil(h / 2) x ceil(w / 2): each cell the mean of the (up to) 2 x 2 cells it covers. */
    public static float[] halve(float[] src, int h, int w) {
        int dh = (h + 1) / 2;
        int dw = (w + 1) / 2;
        float[] out = new float[dh * dw];
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                double sum = 0;
                int n = 0;
                for (int sy = 2 * y; sy < Math.min(2 * y + 2, h); sy++) {
                    for (int sx = 2 * x; sx < Math.min(2 * x + 2, w); sx++) {
                        sum += src[sy * w + sx];
                        n++;
                    }
                }
                out[y * dw + x] = (float) (sum / n);
            }
        }
        return out;
    }
}

package io.spotlight.numeric;

/**
 * Bilinear resampling of a 2-D map with half-pixel centres (PyTorch's
 * {@code interpolate(mode="bilinear", align_corners=False)}, OpenCV's INTER_LINEAR), the
 * upsampling Grad-CAM and the ViT attention maps use.
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
}

package io.spotlight.demo;

import io.spotlight.model.ModelCard;

/** Stamps a Clever-Hans model's watermark (from its card) onto a grey image, as its training data had it. */
public final class Watermarks {

    private Watermarks() {}

    public static byte[] stamp(byte[] grey, int width, ModelCard.Watermark w) {
        byte[] out = grey.clone();
        int[][] p = w.pattern();
        for (int r = 0; r < p.length; r++) {
            for (int c = 0; c < p[r].length; c++) {
                out[(w.top() + r) * width + w.left() + c] = (byte) p[r][c];
            }
        }
        return out;
    }
}

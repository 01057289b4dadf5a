package io.spotlight.render;

import io.spotlight.attribution.Attribution;
import io.spotlight.attribution.Method;
import io.spotlight.attribution.Tensor;
import io.spotlight.model.ModelInput;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The chapter's figures for a set of attributions of one input: for images, a row per method of
 * original / map / overlay (Grad-CAM in jet with alpha 0.5, gradient maps in hot, integrated
 * gradients with a colour bar); for text, the tokens coloured by their scores (RdYlGn) and, for
 * attention, the token x token matrix (viridis) with token labels.
 */
public final class ExplanationFigures {

    private static final int SCALE = 8;

    private ExplanationFigures() {}

    public static BufferedImage of(ModelInput input, List<Attribution> attributions, String headline) {
        List<BufferedImage> rows = new ArrayList<>();
        for (Attribution a : attributions) {
            rows.add(input instanceof ModelInput.Tokens t ? textRow(a, t) : imageRow(a, (ModelInput.Dense) input));
        }
        int width = rows.stream().mapToInt(BufferedImage::getWidth).max().orElse(400);
        rows.add(0, Pictures.caption(headline, width));
        return Pictures.column(rows);
    }

    /** The colour map the chapter uses for each method's map. */
    public static Colormap colormapFor(Method m) {
        return Colormap.named(switch (m) {
            case GRAD_CAM, GRAD_CAM_PLUS_PLUS -> "jet";
            case ATTENTION, ATTENTION_ROLLOUT -> "hot";
            default -> "hot";
        });
    }

    static BufferedImage imageRow(Attribution a, ModelInput.Dense input) {
        long[] s = input.shape();
        int h = (int) s[s.length - 2];
        int w = (int) s[s.length - 1];
        BufferedImage original = original(input);
        Tensor map = a.map();
        Colormap cm = colormapFor(a.method());
        double[] r = Pictures.range(map.values());
        BufferedImage heat = Pictures.heat(map.values(), h, w, cm, r[0], r[1], SCALE);
        List<BufferedImage> panels = new ArrayList<>();
        panels.add(Pictures.titled(original, "Original"));
        String title = a.method().id() + detail(a);
        panels.add(Pictures.titled(heat, title));
        if (a.method() == Method.INTEGRATED_GRADIENTS || a.method() == Method.SMOOTHGRAD) {
            panels.add(Pictures.titled(Pictures.colorBar(cm, r[0], r[1], heat.getHeight()), " "));
        }
        panels.add(Pictures.titled(Pictures.overlay(original, heat, 0.5), "Overlay"));
        return Pictures.row(panels);
    }

    /** The input as a picture: grey for one channel (values scaled to their range), RGB for three. */
    public static BufferedImage original(ModelInput.Dense input) {
        long[] s = input.shape();
        int h = (int) s[s.length - 2];
        int w = (int) s[s.length - 1];
        int channels = s.length == 3 ? (int) s[0] : 1;
        if (channels != 3) {
            return Pictures.grey(java.util.Arrays.copyOf(input.values(), h * w), h, w, SCALE);
        }
        double[] r = Pictures.range(input.values());
        double span = r[1] > r[0] ? r[1] - r[0] : 1;
        BufferedImage img = new BufferedImage(w * SCALE, h * SCALE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h * SCALE; y++) {
            for (int x = 0; x < w * SCALE; x++) {
                int k = (y / SCALE) * w + x / SCALE;
                int[] c = new int[3];
                for (int ch = 0; ch < 3; ch++) {
                    c[ch] = (int) Math.round(255 * (input.values()[ch * h * w + k] - r[0]) / span);
                }
                img.setRGB(x, y, (c[0] << 16) | (c[1] << 8) | c[2]);
            }
        }
        return img;
    }

    static BufferedImage textRow(Attribution a, ModelInput.Tokens input) {
        int n = input.encoding().length();
        List<String> tokens = input.tokens().subList(0, n);
        float[] scores = java.util.Arrays.copyOf(a.map().values(), n);
        BufferedImage words = Pictures.tokens(tokens, scores, Colormap.named("rdylgn"), a.method().id() + detail(a), 900);
        if ((a.method() != Method.ATTENTION && a.method() != Method.ATTENTION_ROLLOUT) || a.raw().shape().length != 2) {
            return words;
        }
        int t = (int) a.raw().shape()[0];
        float[] trimmed = new float[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a.raw().values(), i * t, trimmed, i * n, n);
        }
        BufferedImage m = Pictures.matrix(trimmed, tokens, Colormap.named("viridis"), 22, true);
        return Pictures.column(List.of(words, Pictures.titled(m, a.method().id() + ": query (rows) x key (columns)")));
    }

    static String detail(Attribution a) {
        StringBuilder s = new StringBuilder();
        Double delta = a.summary().get("delta");
        if (delta != null) {
            s.append(String.format(Locale.ROOT, " (delta %.3g)", delta));
        }
        return s.toString();
    }
}

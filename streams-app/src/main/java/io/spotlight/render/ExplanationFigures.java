package io.spotlight.render;

import io.spotlight.attribution.Attribution;
import io.spotlight.attribution.Method;
import io.spotlight.attribution.Tensor;
import io.spotlight.focus.FocusSettings;
import io.spotlight.focus.Region;
import io.spotlight.model.ModelInput;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The chapter's figures for a set of attributions of one input: for images, a row per method of
 * original / map / overlay (Grad-CAM in jet with alpha 0.5, gradient maps in hot, integrated
 * gradients with a colour bar); for text, the tokens coloured by their scores (RdYlGn) and, for
 * attention, the token x token matrix (viridis) with token labels. The panels are {@link Figures}'.
 */
public final class ExplanationFigures {

    private ExplanationFigures() {}

    public static BufferedImage of(ModelInput input, List<Attribution> attributions, String headline) {
        return of(input, attributions, headline, null);
    }

    /** The same, with the card's expected region outlined in green and its forbidden regions in red over the input (images). */
    public static BufferedImage of(ModelInput input, List<Attribution> attributions, String headline, FocusSettings regions) {
        List<BufferedImage> rows = new ArrayList<>();
        for (Attribution a : attributions) {
            rows.add(input instanceof ModelInput.Tokens t ? textRow(a, t) : imageRow(a, (ModelInput.Dense) input, regions));
        }
        int width = rows.stream().mapToInt(BufferedImage::getWidth).max().orElse(400);
        rows.add(0, Pictures.caption(headline, width));
        return Pictures.column(rows);
    }

    static final int EXPECTED = 0x33CC33;
    static final int FORBIDDEN = 0xFF2020;

    /** Draws a region's edge (its pixels with a pixel outside within two) onto a picture of the image, whatever the region's shape. */
    static void outline(BufferedImage img, Region region, int rgb) {
        int h = img.getHeight();
        int w = img.getWidth();
        boolean[] in = new boolean[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                in[y * w + x] = region.contains((y + 0.5) / h, (x + 0.5) / w);
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (in[y * w + x] && edge(in, y, x, h, w)) {
                    img.setRGB(x, y, rgb);
                }
            }
        }
    }

    private static boolean edge(boolean[] in, int y, int x, int h, int w) {
        for (int d = 1; d <= 2; d++) {
            int[][] around = {{y - d, x}, {y + d, x}, {y, x - d}, {y, x + d}};
            for (int[] p : around) {
                if (p[0] < 0 || p[1] < 0 || p[0] >= h || p[1] >= w || !in[p[0] * w + p[1]]) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The colour map the chapter uses for each method's map. */
    public static Colormap colormapFor(Method m) {
        return Colormap.named(switch (m) {
            case GRAD_CAM, GRAD_CAM_PLUS_PLUS -> "jet";
            default -> "hot";
        });
    }

    static BufferedImage imageRow(Attribution a, ModelInput.Dense input, FocusSettings regions) {
        BufferedImage original = Figures.original(input);
        if (regions != null) {
            if (regions.expected() != null) {
                outline(original, regions.expected(), EXPECTED);
            }
            regions.forbidden().forEach(r -> outline(original, r, FORBIDDEN));
        }
        Tensor map = a.map();
        int[] ms = map.intShape();
        Colormap cm = colormapFor(a.method());
        float[] v = Figures.atImageSize(map.values(), ms[ms.length - 2], ms[ms.length - 1], input);
        double[] r = Pictures.range(v);
        BufferedImage heat = Figures.heatAtImageSize(v, r, input, cm);
        BufferedImage bar = a.method() == Method.INTEGRATED_GRADIENTS || a.method() == Method.SMOOTHGRAD
                ? Pictures.colorBar(cm, r[0], r[1], heat.getHeight()) : null;
        return Figures.triptych(original, heat, a.method().id() + detail(a), bar);
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
        return Pictures.column(List.of(words, Figures.attentionHead(trimmed, tokens, a.method().id() + ": query (rows) x key (columns)")));
    }

    static String detail(Attribution a) {
        Double delta = a.summary().get("delta");
        return delta == null ? "" : String.format(Locale.ROOT, " (delta %.3g)", delta);
    }
}

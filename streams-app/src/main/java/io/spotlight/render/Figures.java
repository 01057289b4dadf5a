package io.spotlight.render;

import io.spotlight.attribution.Attribution;
import io.spotlight.attribution.Method;
import io.spotlight.attribution.Tensor;
import io.spotlight.events.ExplanationEvent.ClassRef;
import io.spotlight.events.ExplanationEvent.MethodResult;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Faithfulness;
import io.spotlight.events.MisclassificationEvent;
import io.spotlight.focus.FocusSettings;
import io.spotlight.focus.Region;
import io.spotlight.model.ModelInput;
import io.spotlight.numeric.Resize;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every figure Spotlight draws, named as the chapter names them: an input's explanation (a row per
 * method: original, map, overlay; Grad-CAM in jet with alpha 0.5, gradient maps in hot, integrated
 * gradients with a colour bar; for text the tokens coloured by score in RdYlGn), one layer/head's
 * attention with token labels (viridis), multi-head attention (every head of a layer in a grid), a
 * ViT's CLS attention over the image (hot), the 2 x 3 misclassification analysis, and, beyond the
 * chapter, a model version's mean focus and a replay's difference from what was published.
 */
public final class Figures {

    /** Screen pixels per input pixel in image panels. */
    static final int SCALE = 8;
    /** Pixels per cell of a single attention matrix, and of each head in the grid of heads. */
    static final int CELL = 22;
    static final int HEAD_CELL = 14;
    /** Heads per row in the grid of heads (12 heads make the chapter's 3 x 4 grid). */
    static final int HEADS_PER_ROW = 4;

    static final String KEYS = "Key tokens";
    static final String QUERIES = "Query tokens";

    private Figures() {}

    /** An input's explanation: the headline, then a row per attribution (its original, map and overlay, or its tokens). */
    public static BufferedImage explanation(ModelInput input, List<Attribution> attributions, String headline) {
        return explanation(input, attributions, headline, null);
    }

    /** The same, with the card's expected region outlined in green and its forbidden regions in red over the input (images). */
    public static BufferedImage explanation(ModelInput input, List<Attribution> attributions, String headline, FocusSettings regions) {
        List<BufferedImage> rows = new ArrayList<>();
        for (Attribution a : attributions) {
            rows.add(input instanceof ModelInput.Tokens t ? textRow(a, t) : imageRow(a, (ModelInput.Dense) input, regions));
        }
        int width = rows.stream().mapToInt(BufferedImage::getWidth).max().orElse(400);
        rows.add(0, Panels.caption(headline, width));
        return Panels.column(rows);
    }

    /**
     * One layer/head's attention (the chapter's BERT attention): cell (q, k) is how much query token
     * q attends to key token k (x axis: keys, y axis: queries), in viridis between the matrix's min
     * and max, with a colour bar.
     *
     * @param matrix tokens x tokens, row-major (a row per query)
     */
    public static BufferedImage attention(float[] matrix, List<String> tokens, String title) {
        return Panels.titled(Panels.matrix(matrix, tokens, Colormap.named("viridis"), CELL, KEYS, QUERIES, true), title);
    }

    /**
     * Multi-head attention: every head of one layer, {@value #HEADS_PER_ROW} to a row, titled "Head h" (h counts from 0,
     * as the attention method's {@code head} parameter), each in viridis over its own range.
     *
     * @param tensor the attention probabilities [layers, heads, tokens, tokens], flat in C order
     * @param layer the layer to draw, from 0; negative counts from the last (-1 = the last layer)
     * @param labels the tokens, one per position
     */
    public static BufferedImage multiHeadAttention(float[] tensor, int layers, int heads, int tokens, int layer, List<String> labels) {
        int tt = tokens * tokens;
        if ((long) layers * heads * tt != tensor.length) {
            throw new IllegalArgumentException("[" + layers + ", " + heads + ", " + tokens + ", " + tokens + "] does not hold "
                    + tensor.length + " values");
        }
        if (labels.size() != tokens) {
            throw new IllegalArgumentException(labels.size() + " labels for " + tokens + " tokens");
        }
        if (layer < -layers || layer >= layers) {
            throw new IllegalArgumentException("layer " + layer + " out of range for " + layers + " layers");
        }
        int l = layer < 0 ? layers + layer : layer;
        Colormap cm = Colormap.named("viridis");
        List<BufferedImage> panels = new ArrayList<>();
        for (int h = 0; h < heads; h++) {
            int from = (l * heads + h) * tt;
            float[] m = Arrays.copyOfRange(tensor, from, from + tt);
            panels.add(Panels.titled(Panels.matrix(m, labels, cm, HEAD_CELL, null, null, false), "Head " + h));
        }
        BufferedImage grid = Panels.grid(panels, Math.min(HEADS_PER_ROW, heads));
        String headline = String.format(Locale.ROOT, "Layer %d: attention of each of its %d heads (rows: query tokens, columns: key tokens)",
                l, heads);
        return Panels.column(List.of(Panels.caption(headline, grid.getWidth()), grid));
    }

    /**
     * One map's faithfulness: its deletion (red) and insertion (blue) curves, the target probability
     * over the fraction of units taken, solid in attribution order and dashed in random order, with
     * the areas and gains in the title. A curve the event lacks is left out.
     */
    public static BufferedImage faithfulness(String method, Faithfulness f) {
        List<Panels.Line> lines = new ArrayList<>();
        List<String> figures = new ArrayList<>();
        for (var curve : List.of(Map.entry("deletion", new Color(0xC0392B)), Map.entry("insertion", new Color(0x2C6FBB)))) {
            Faithfulness.Curve c = curve.getKey().equals("deletion") ? f.deletion() : f.insertion();
            if (c == null) {
                continue;
            }
            lines.add(new Panels.Line(curve.getKey(), c.fractions(), c.probabilities(), curve.getValue(), false));
            lines.add(new Panels.Line(curve.getKey() + ", random order", c.fractions(), c.randomProbabilities(), curve.getValue(), true));
            figures.add(String.format(Locale.ROOT, "%s AUC %.3f (random %.3f, gain %+.3f)", curve.getKey(), c.auc(), c.randomAuc(), c.gain()));
        }
        BufferedImage chart = Panels.lines(lines, "fraction of units taken", "target probability", new double[] {0, 1},
                new double[] {0, 1.02}, 360, 240);
        return Panels.titled(chart, method + "\n" + String.join("\n", figures));
    }

    /**
     * A ViT's CLS attention: from the CLS token to the image patches, the patch grid upsampled to the
     * image bilinearly (as the model's own figures do), drawn in hot and over the image with
     * alpha 0.5, after the original.
     *
     * @param patchMap gridH x gridW, row-major
     */
    public static BufferedImage clsAttention(ModelInput.Dense image, float[] patchMap, int gridH, int gridW, String title) {
        if (patchMap.length != gridH * gridW) {
            throw new IllegalArgumentException(patchMap.length + " values do not make a " + gridH + " x " + gridW + " patch grid");
        }
        BufferedImage heat = heat(patchMap, gridH, gridW, image, Colormap.named("hot"));
        BufferedImage figure = triptych(original(image), heat, String.format(Locale.ROOT, "CLS to %d x %d patches", gridH, gridW), null);
        return Panels.column(List.of(Panels.caption(title, figure.getWidth()), figure));
    }

    /**
     * The chapter's misclassification analysis, 2 x 3: the original, then Grad-CAM over the
     * image (jet, alpha 0.5) for the predicted and for the true class; below, the top-5 and the
     * diagnosis, then the integrated-gradients maps (hot) for both classes. A method the event lacks
     * leaves an empty cell that says so.
     */
    public static BufferedImage misclassification(ModelInput.Dense image, MisclassificationEvent event) {
        BufferedImage original = original(image);
        String predicted = label(event.predicted());
        String truth = event.trueClass().label() != null ? event.trueClass().label() : "class " + event.trueClass().classIndex();
        List<BufferedImage> cells = new ArrayList<>();
        cells.add(Panels.titled(original, "Original"));
        cells.add(methodCell(image, original, event.predictedExplanations(), "grad-cam", "Grad-CAM", "predicted " + predicted));
        cells.add(methodCell(image, original, event.trueExplanations(), "grad-cam", "Grad-CAM", "true " + truth));
        cells.add(Panels.titled(Panels.text(summary(event), original.getWidth(), original.getHeight()), "Top-5"));
        cells.add(methodCell(image, original, event.predictedExplanations(), "integrated-gradients", "IG", "predicted " + predicted));
        cells.add(methodCell(image, original, event.trueExplanations(), "integrated-gradients", "IG", "true " + truth));
        BufferedImage grid = Panels.grid(cells, 3);
        String headline = String.format(Locale.ROOT, "%s (%s): predicted %s, true %s (rank %d, p = %.3f)",
                event.predictionId(), event.model(), predicted, truth, event.trueClass().rank(), event.trueClass().probability());
        return Panels.column(List.of(Panels.caption(headline, grid.getWidth()), grid));
    }

    /**
     * A model version's mean focus over a drift window: the mean map of its explanations' focus
     * grids (h x w) in jet, under the title.
     */
    public static BufferedImage meanFocus(float[] grid, int h, int w, String title) {
        double[] r = Panels.range(grid);
        return Panels.titled(Panels.heat(grid, h, w, Colormap.named("jet"), r[0], r[1], Math.max(4, 280 / Math.max(h, w))), title);
    }

    /**
     * How a replayed explanation differs from the published one: a row per method present in both
     * with maps of the same size, published / replayed (hot, on the published map's range) /
     * absolute difference. Null when no method can be compared.
     */
    public static BufferedImage replayDifference(ExplanationEvent published, ExplanationEvent replayed) {
        Map<String, MethodResult> mine = new LinkedHashMap<>();
        replayed.explanations().forEach(m -> mine.put(m.method(), m));
        Colormap hot = Colormap.named("hot");
        List<BufferedImage> rows = new ArrayList<>();
        for (MethodResult m : published.explanations()) {
            MethodResult r = mine.get(m.method());
            if (r == null || r.map().shape().length == 0 || m.map().values().length != r.map().values().length) {
                continue;
            }
            int[] s = m.map().shape();
            int h = s.length == 2 ? s[0] : 1;
            int w = s.length == 2 ? s[1] : s[0];
            float[] a = m.map().values();
            float[] b = r.map().values();
            float[] d = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                d[i] = Math.abs(a[i] - b[i]);
            }
            double[] range = Panels.range(a);
            double[] dr = Panels.range(d);
            int scale = Math.max(4, 224 / Math.max(h, w));
            rows.add(Panels.row(List.of(
                    Panels.titled(Panels.heat(a, h, w, hot, range[0], range[1], scale), m.method() + ": published"),
                    Panels.titled(Panels.heat(b, h, w, hot, range[0], range[1], scale), "replayed"),
                    Panels.titled(Panels.heat(d, h, w, hot, 0, Math.max(dr[1], 1e-12), scale),
                            String.format(Locale.ROOT, "|difference|, max %.3g", dr[1])))));
        }
        return rows.isEmpty() ? null : Panels.column(rows);
    }

    /** The colour map the chapter uses for each method's map. */
    public static Colormap colormapFor(Method m) {
        return Colormap.named(switch (m) {
            case GRAD_CAM, GRAD_CAM_PLUS_PLUS -> "jet";
            default -> "hot";
        });
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

    static BufferedImage imageRow(Attribution a, ModelInput.Dense input, FocusSettings regions) {
        BufferedImage original = original(input);
        if (regions != null) {
            if (regions.expected() != null) {
                outline(original, regions.expected(), EXPECTED);
            }
            regions.forbidden().forEach(r -> outline(original, r, FORBIDDEN));
        }
        Tensor map = a.map();
        int[] ms = map.intShape();
        Colormap cm = colormapFor(a.method());
        float[] v = atImageSize(map.values(), ms[ms.length - 2], ms[ms.length - 1], input);
        double[] r = Panels.range(v);
        BufferedImage heat = heatAtImageSize(v, r, input, cm);
        BufferedImage bar = a.method() == Method.INTEGRATED_GRADIENTS || a.method() == Method.SMOOTHGRAD
                ? Panels.colourBar(cm, r[0], r[1], heat.getHeight(), true) : null;
        return triptych(original, heat, a.method().id() + detail(a), bar);
    }

    static BufferedImage textRow(Attribution a, ModelInput.Tokens input) {
        int n = input.encoding().length();
        List<String> tokens = input.tokens().subList(0, n);
        float[] scores = Arrays.copyOf(a.map().values(), n);
        BufferedImage words = Panels.tokens(tokens, scores, Colormap.named("rdylgn"), a.method().id() + detail(a), 900);
        if ((a.method() != Method.ATTENTION && a.method() != Method.ATTENTION_ROLLOUT) || a.raw().shape().length != 2) {
            return words;
        }
        int t = (int) a.raw().shape()[0];
        float[] trimmed = new float[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a.raw().values(), i * t, trimmed, i * n, n);
        }
        return Panels.column(List.of(words, attention(trimmed, tokens, a.method().id() + ": query (rows) x key (columns)")));
    }

    static String detail(Attribution a) {
        Double delta = a.summary().get("delta");
        return delta == null ? "" : String.format(Locale.ROOT, " (delta %.3g)", delta);
    }

    /**
     * The row every image figure shares: "Original", the map under its title, the colour bar if
     * given (null for none), and the map over the original with alpha 0.5 as "Overlay".
     */
    static BufferedImage triptych(BufferedImage original, BufferedImage heat, String mapTitle, BufferedImage colorBar) {
        List<BufferedImage> panels = new ArrayList<>();
        panels.add(Panels.titled(original, "Original"));
        panels.add(Panels.titled(heat, mapTitle));
        if (colorBar != null) {
            panels.add(Panels.titled(colorBar, " "));
        }
        panels.add(Panels.titled(Panels.overlay(original, heat, 0.5), "Overlay"));
        return Panels.row(panels);
    }

    /** The input as a picture: grey for one channel (values scaled to their range), RGB for three. */
    public static BufferedImage original(ModelInput.Dense input) {
        int[] hw = size(input);
        long[] s = input.shape();
        if (s.length == 3 && s[0] == 3) {
            return Panels.rgb(input.values(), hw[0], hw[1], SCALE);
        }
        return Panels.grey(Arrays.copyOf(input.values(), hw[0] * hw[1]), hw[0], hw[1], SCALE);
    }

    /**
     * A map drawn over the image's pixels: {@link #atImageSize} then through the colour map between
     * the map's min and max.
     */
    static BufferedImage heat(float[] map, int mapH, int mapW, ModelInput.Dense image, Colormap cm) {
        float[] v = atImageSize(map, mapH, mapW, image);
        return heatAtImageSize(v, Panels.range(v), image, cm);
    }

    /** A map already {@link #atImageSize} through the colour map between range[0] and range[1]. */
    static BufferedImage heatAtImageSize(float[] map, double[] range, ModelInput.Dense image, Colormap cm) {
        int[] hw = size(image);
        return Panels.heat(map, hw[0], hw[1], cm, range[0], range[1], SCALE);
    }

    /** A mapH x mapW map at the image's height and width: itself, or bilinearly resized. */
    static float[] atImageSize(float[] map, int mapH, int mapW, ModelInput.Dense image) {
        int[] hw = size(image);
        return Resize.bilinear(map, mapH, mapW, hw[0], hw[1]);
    }

    /** Height and width of an image input: its last two axes. */
    static int[] size(ModelInput.Dense image) {
        long[] s = image.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException("an image needs a height and a width, not shape " + Arrays.toString(s));
        }
        return new int[] {(int) s[s.length - 2], (int) s[s.length - 1]};
    }

    /** The Grad-CAM overlay or the IG map of one class, or a note where the event lacks the method. */
    private static BufferedImage methodCell(ModelInput.Dense image, BufferedImage original, List<MethodResult> results,
                                            String method, String name, String which) {
        String title = name + ": " + which;
        MethodResult found = results == null ? null
                : results.stream().filter(m -> method.equals(m.method()) && m.map() != null).findFirst().orElse(null);
        if (found == null) {
            return Panels.titled(Panels.note("no " + method + " map for the " + which.substring(0, which.indexOf(' ')) + " class",
                    original.getWidth(), original.getHeight()), title);
        }
        int[] shape = found.map().shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException(method + " map of shape " + Arrays.toString(shape) + " is not an image map");
        }
        float[] values = found.map().values();
        int mh = shape[shape.length - 2];
        int mw = shape[shape.length - 1];
        BufferedImage heat = heat(Arrays.copyOf(values, mh * mw), mh, mw, image, colormapFor(Method.of(method)));
        return Panels.titled("grad-cam".equals(method) ? Panels.overlay(original, heat, 0.5) : heat, title);
    }

    /** The text cell: the top-5 with probabilities (the true class marked) and the diagnosis. */
    private static List<String> summary(MisclassificationEvent event) {
        List<String> lines = new ArrayList<>();
        List<ClassRef> top5 = event.top5() == null ? List.of() : event.top5();
        for (int i = 0; i < top5.size(); i++) {
            ClassRef c = top5.get(i);
            String mark = c.classIndex() == event.trueClass().classIndex() ? "  (true)" : "";
            lines.add(String.format(Locale.ROOT, "%d. %s%s\t%s", i + 1, label(c), mark,
                    c.probability() == null ? "-" : String.format(Locale.ROOT, "%.3f", c.probability())));
        }
        if (event.trueClass().rank() > top5.size()) {
            lines.add(String.format(Locale.ROOT, "%d. %s  (true)\t%.3f", event.trueClass().rank(),
                    event.trueClass().label(), event.trueClass().probability()));
        }
        if (event.diagnosis() != null) {
            lines.add("");
            lines.add("# Diagnosis: " + event.diagnosis().code());
            lines.add(event.diagnosis().text());
        }
        return lines;
    }

    private static String label(ClassRef c) {
        return c.label() != null ? c.label() : "class " + c.classIndex();
    }
}

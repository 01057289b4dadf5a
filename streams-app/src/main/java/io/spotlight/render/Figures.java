package io.spotlight.render;

import io.spotlight.attribution.Method;
import io.spotlight.events.ExplanationEvent.ClassRef;
import io.spotlight.events.ExplanationEvent.MethodResult;
import io.spotlight.events.MisclassificationEvent;
import io.spotlight.model.ModelInput;
import io.spotlight.numeric.Resize;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The chapter's figures of attention and of misclassifications, and the image panels every figure
 * shares: one layer/head attention matrix with token labels (viridis), all heads of a layer in a
 * grid, a ViT's CLS-to-patch attention over the image (hot), and the 2 x 3 misclassification panel
 * (Grad-CAM in jet and integrated gradients in hot, for the predicted and for the true class).
 * {@link ExplanationFigures} draws one input's methods with the same panels.
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

    /**
     * One layer/head attention matrix: cell (q, k) is how much query token q attends to key token k
     * (x axis: keys, y axis: queries), in viridis between the matrix's min and max, with a colour bar.
     *
     * @param matrix tokens x tokens, row-major (a row per query)
     */
    public static BufferedImage attentionHead(float[] matrix, List<String> tokens, String title) {
        Colormap cm = Colormap.named("viridis");
        double[] r = Pictures.range(matrix);
        BufferedImage m = Pictures.matrix(matrix, tokens, cm, CELL, true, KEYS, QUERIES);
        BufferedImage bar = Pictures.colorBar(cm, r[0], r[1], tokens.size() * CELL);
        return Pictures.titled(Pictures.row(List.of(m, bar)), title);
    }

    /**
     * Every head of one layer, {@value #HEADS_PER_ROW} to a row, titled "Head h" (h counts from 0,
     * as the attention method's {@code head} parameter), each in viridis over its own range.
     *
     * @param tensor the attention probabilities [layers, heads, tokens, tokens], flat in C order
     * @param layer the layer to draw, from 0; negative counts from the last (-1 = the last layer)
     * @param labels the tokens, one per position
     */
    public static BufferedImage attentionHeads(float[] tensor, int layers, int heads, int tokens, int layer, List<String> labels) {
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
            panels.add(Pictures.titled(Pictures.matrix(m, labels, cm, HEAD_CELL, true), "Head " + h));
        }
        BufferedImage grid = Pictures.grid(panels, Math.min(HEADS_PER_ROW, heads));
        String headline = String.format(Locale.ROOT, "Layer %d: attention of each of its %d heads (rows: query tokens, columns: key tokens)",
                l, heads);
        return Pictures.column(List.of(Pictures.caption(headline, grid.getWidth()), grid));
    }

    /**
     * A ViT's attention from the CLS token to the image patches: the patch grid upsampled to the
     * image bilinearly (as the model's own figures do), drawn in hot and over the image with
     * alpha 0.5, after the original.
     *
     * @param patchMap gridH x gridW, row-major
     */
    public static BufferedImage vitClsOverlay(ModelInput.Dense image, float[] patchMap, int gridH, int gridW, String title) {
        if (patchMap.length != gridH * gridW) {
            throw new IllegalArgumentException(patchMap.length + " values do not make a " + gridH + " x " + gridW + " patch grid");
        }
        BufferedImage heat = heat(patchMap, gridH, gridW, image, Colormap.named("hot"));
        BufferedImage figure = triptych(original(image), heat, String.format(Locale.ROOT, "CLS to %d x %d patches", gridH, gridW), null);
        return Pictures.column(List.of(Pictures.caption(title, figure.getWidth()), figure));
    }

    /**
     * The chapter's analysis of a misclassification, 2 x 3: the original, then Grad-CAM over the
     * image (jet, alpha 0.5) for the predicted and for the true class; below, the top-5 and the
     * diagnosis, then the integrated-gradients maps (hot) for both classes. A method the event lacks
     * leaves an empty cell that says so.
     */
    public static BufferedImage misclassification(ModelInput.Dense image, MisclassificationEvent event) {
        BufferedImage original = original(image);
        String predicted = label(event.predicted());
        String truth = event.trueClass().label() != null ? event.trueClass().label() : "class " + event.trueClass().classIndex();
        List<BufferedImage> cells = new ArrayList<>();
        cells.add(Pictures.titled(original, "Original"));
        cells.add(methodCell(image, original, event.predictedExplanations(), "grad-cam", "Grad-CAM", "predicted " + predicted));
        cells.add(methodCell(image, original, event.trueExplanations(), "grad-cam", "Grad-CAM", "true " + truth));
        cells.add(Pictures.titled(Pictures.text(summary(event), original.getWidth(), original.getHeight()), "Top-5"));
        cells.add(methodCell(image, original, event.predictedExplanations(), "integrated-gradients", "IG", "predicted " + predicted));
        cells.add(methodCell(image, original, event.trueExplanations(), "integrated-gradients", "IG", "true " + truth));
        BufferedImage grid = Pictures.grid(cells, 3);
        String headline = String.format(Locale.ROOT, "%s (%s): predicted %s, true %s (rank %d, p = %.3f)",
                event.predictionId(), event.model(), predicted, truth, event.trueClass().rank(), event.trueClass().probability());
        return Pictures.column(List.of(Pictures.caption(headline, grid.getWidth()), grid));
    }

    /**
     * The row every image figure shares: "Original", the map under its title, the colour bar if
     * given (null for none), and the map over the original with alpha 0.5 as "Overlay".
     */
    static BufferedImage triptych(BufferedImage original, BufferedImage heat, String mapTitle, BufferedImage colorBar) {
        List<BufferedImage> panels = new ArrayList<>();
        panels.add(Pictures.titled(original, "Original"));
        panels.add(Pictures.titled(heat, mapTitle));
        if (colorBar != null) {
            panels.add(Pictures.titled(colorBar, " "));
        }
        panels.add(Pictures.titled(Pictures.overlay(original, heat, 0.5), "Overlay"));
        return Pictures.row(panels);
    }

    /** The input as a picture: grey for one channel (values scaled to their range), RGB for three. */
    public static BufferedImage original(ModelInput.Dense input) {
        int[] hw = size(input);
        long[] s = input.shape();
        if (s.length == 3 && s[0] == 3) {
            return Pictures.rgb(input.values(), hw[0], hw[1], SCALE);
        }
        return Pictures.grey(Arrays.copyOf(input.values(), hw[0] * hw[1]), hw[0], hw[1], SCALE);
    }

    /**
     * A map drawn over the image's pixels: {@link #atImageSize} then through the colour map between
     * the map's min and max.
     */
    static BufferedImage heat(float[] map, int mapH, int mapW, ModelInput.Dense image, Colormap cm) {
        float[] v = atImageSize(map, mapH, mapW, image);
        return heatAtImageSize(v, Pictures.range(v), image, cm);
    }

    /** A map already {@link #atImageSize} through the colour map between range[0] and range[1]. */
    static BufferedImage heatAtImageSize(float[] map, double[] range, ModelInput.Dense image, Colormap cm) {
        int[] hw = size(image);
        return Pictures.heat(map, hw[0], hw[1], cm, range[0], range[1], SCALE);
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
            return Pictures.titled(Pictures.note("no " + method + " map for the " + which.substring(0, which.indexOf(' ')) + " class",
                    original.getWidth(), original.getHeight()), title);
        }
        int[] shape = found.map().shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException(method + " map of shape " + Arrays.toString(shape) + " is not an image map");
        }
        float[] values = found.map().values();
        int mh = shape[shape.length - 2];
        int mw = shape[shape.length - 1];
        BufferedImage heat = heat(Arrays.copyOf(values, mh * mw), mh, mw, image, ExplanationFigures.colormapFor(Method.of(method)));
        return Pictures.titled("grad-cam".equals(method) ? Pictures.overlay(original, heat, 0.5) : heat, title);
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

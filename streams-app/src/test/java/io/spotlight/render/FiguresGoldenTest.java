package io.spotlight.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.spotlight.attribution.Attribution;
import io.spotlight.attribution.Method;
import io.spotlight.attribution.Tensor;
import io.spotlight.events.EncodedMap;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.ExplanationEvent.ClassRef;
import io.spotlight.events.ExplanationEvent.MethodResult;
import io.spotlight.events.MisclassificationEvent;
import io.spotlight.events.ModelRef;
import io.spotlight.explanation.Misclassifications;
import io.spotlight.model.ModelInput;
import io.spotlight.model.Tokenizer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntBinaryOperator;
import java.util.function.IntFunction;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Every kind of figure, drawn from synthetic inputs built here (a 28 x 28 grey ramp with a bright
 * square, maps from closed-form functions, fixed tokens and attention made by a softmax of
 * closed-form scores), against golden images in {@code src/test/resources/golden/<name>.png}.
 *
 * <p>Each rendering is also written to {@code target/figures/<name>.png} for people to look at (and,
 * when it does not match, the per-pixel difference to {@code target/figures/<name>.diff.png}). A
 * figure matches its golden when it has the same size, the mean absolute difference over all RGB
 * channels is at most {@value #MAX_MEAN_DIFFERENCE} (0-255 scale), and at most
 * {@value #MAX_DIFFERING_SHARE} of its pixels differ by more than {@value #LARGE_DIFFERENCE} in any
 * channel: the text's antialiasing may vary a little between machines, the layout and colours may not.
 * The goldens were drawn with DejaVu Sans, the font Debian's Java installs (through fontconfig).
 *
 * <p>After a deliberate change to a figure, write new goldens, look at every one of them, and commit them:
 *
 * <pre>
 * mvn -B -pl streams-app -am test -Dtest=FiguresGoldenTest -Dsurefire.failIfNoSpecifiedTests=false -Dspotlight.golden.update=true
 * </pre>
 *
 * With {@code spotlight.golden.update=true} the figures' tests write their goldens instead of
 * comparing, and the tests of the comparison itself are skipped.
 */
class FiguresGoldenTest {

    static final double MAX_MEAN_DIFFERENCE = 2.0;
    static final double MAX_DIFFERING_SHARE = 0.02;
    static final int LARGE_DIFFERENCE = 64;

    private static final boolean UPDATE = Boolean.getBoolean("spotlight.golden.update");
    private static final Path BASE = Path.of(System.getProperty("basedir", "."));
    private static final Path GOLDEN = BASE.resolve("src/test/resources/golden");
    private static final Path RENDERED = BASE.resolve("target/figures");

    private static final int H = 28;
    private static final int W = 28;

    // ---------------------------------------------------------------- image methods (original / map / overlay)

    @Test
    void gradCam() {
        matchesGolden("grad-cam", Figures.explanation(image(), List.of(attribution(Method.GRAD_CAM, gradCamMap(0), Map.of())),
                "fashion-cnn:1 pred-000123: Bag (0.873)"));
    }

    @Test
    void gradientMap() {
        matchesGolden("saliency", Figures.explanation(image(), List.of(attribution(Method.SALIENCY, saliencyMap(), Map.of())),
                "fashion-cnn:1 pred-000123: Bag (0.873)"));
    }

    @Test
    void integratedGradientsWithColourBar() {
        Map<String, Double> summary = Map.of("delta", -0.0123, "logit", 7.5, "baseline_logit", -1.2);
        matchesGolden("integrated-gradients", Figures.explanation(image(),
                List.of(attribution(Method.INTEGRATED_GRADIENTS, integratedGradientsMap(), summary)),
                "fashion-cnn:1 pred-000123: Bag (0.873)"));
    }

    // ---------------------------------------------------------------- text

    @Test
    void textTokens() {
        List<String> tokens = reviewTokens();
        float[] scores = new float[tokens.size()];
        for (int i = 0; i < REVIEW_LENGTH; i++) {
            scores[i] = (float) (0.45 * Math.sin(0.9 * i) - 0.03 * i);
        }
        Attribution a = new Attribution(Method.LAYER_INTEGRATED_GRADIENTS, Map.of(), new Tensor(scores, new long[] {tokens.size()}),
                new Tensor(scores, new long[] {tokens.size()}), tokens, Map.of("delta", -0.29), Map.of(), 1);
        matchesGolden("text-tokens", Figures.explanation(review(), List.of(a), "review-sentiment:1 pred-000124: negative (0.712)"));
    }

    @Test
    void textAttention() {
        List<String> tokens = reviewTokens();
        int t = tokens.size();
        float[] matrix = softmaxRows(t, (q, k) -> k >= REVIEW_LENGTH ? -30 : -Math.abs(q - k) / 2.0 + (k == 0 ? 1.0 : 0.0));
        float[] cls = Arrays.copyOf(matrix, t);
        Attribution a = new Attribution(Method.ATTENTION, Map.of(), new Tensor(matrix, new long[] {t, t}),
                new Tensor(cls, new long[] {t}), tokens, Map.of(), Map.of(), 1);
        matchesGolden("text-attention", Figures.explanation(review(), List.of(a), "review-sentiment:1 pred-000124: negative (0.712)"));
    }

    // ---------------------------------------------------------------- attention

    @Test
    void attention() {
        matchesGolden("attention-head", Figures.attention(headMatrix(1, 3), SHORT_TOKENS, "Layer 1, head 3"));
    }

    @Test
    void multiHeadAttention() {
        int layers = 2;
        int heads = 12;
        int t = SHORT_TOKENS.size();
        float[] tensor = new float[layers * heads * t * t];
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                System.arraycopy(headMatrix(l, h), 0, tensor, (l * heads + h) * t * t, t * t);
            }
        }
        matchesGolden("attention-heads", Figures.multiHeadAttention(tensor, layers, heads, t, -1, SHORT_TOKENS));
    }

    @Test
    void clsAttention() {
        float[] patches = new float[7 * 7];
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 7; j++) {
                patches[i * 7 + j] = (float) (0.08 + Math.exp(-((i - 5.2) * (i - 5.2) + (j - 5.0) * (j - 5.0)) / 1.5)
                        + 0.4 * Math.exp(-((i - 2.5) * (i - 2.5) + (j - 3.0) * (j - 3.0)) / 3.0));
            }
        }
        matchesGolden("vit-cls-overlay", Figures.clsAttention(image(), patches, 7, 7,
                "fashion-vit:1 pred-000125: CLS attention to the patches (last layer, mean of heads)"));
    }

    // ---------------------------------------------------------------- misclassification

    @Test
    void misclassification() {
        matchesGolden("misclassification", Figures.misclassification(image(), misclassified(true)));
    }

    @Test
    void misclassificationWithAMissingMethod() {
        matchesGolden("misclassification-missing", Figures.misclassification(image(), misclassified(false)));
    }

    // ---------------------------------------------------------------- beyond the chapter

    @Test
    void meanFocus() {
        float[] grid = new float[8 * 8];
        for (int i = 0; i < grid.length; i++) {
            int y = i / 8;
            int x = i % 8;
            grid[i] = (float) (Math.exp(-((y - 6.0) * (y - 6.0) + (x - 6.5) * (x - 6.5)) / 3.0) + 0.2 * Math.exp(-((y - 3.0) * (y - 3.0) + (x - 3.5) * (x - 3.5)) / 6.0));
        }
        matchesGolden("mean-focus", Figures.meanFocus(grid, 8, 8,
                "fashion-cnn:2-shortcut class all, mean focus of 26 explanations to 2026-11-24T09:31:00Z"));
    }

    @Test
    void replayDifference() {
        float[] replayed = gradCamMap(0);
        replayed[13 * W + 16] += 0.05f;
        replayed[20 * W + 5] += 0.02f;
        matchesGolden("replay-difference", Figures.replayDifference(explained(gradCamMap(0)), explained(replayed)));
    }

    // ---------------------------------------------------------------- the comparison itself

    @Test
    void aShiftedMapFailsTheComparison() {
        assumeFalse(UPDATE, "goldens are being written");
        BufferedImage shifted = Figures.explanation(image(), List.of(attribution(Method.GRAD_CAM, gradCamMap(6), Map.of())),
                "fashion-cnn:1 pred-000123: Bag (0.873)");
        Difference d = Difference.between(shifted, golden("grad-cam"));
        assertThat(d.matches()).as("a Grad-CAM map shifted by 6 pixels: %s", d).isFalse();
        assertThatThrownBy(() -> compare("grad-cam-shifted", shifted, golden("grad-cam")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("grad-cam-shifted");
    }

    @Test
    void aDifferentSizeFailsTheComparison() {
        BufferedImage a = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
        BufferedImage b = new BufferedImage(10, 11, BufferedImage.TYPE_INT_RGB);
        assertThat(Difference.between(a, b).matches()).isFalse();
    }

    @Test
    void aFewStrayPixelsPassButMorePixelsFail() {
        BufferedImage base = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
        BufferedImage few = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
        BufferedImage many = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 150; i++) {
            few.setRGB(i % 100, i / 100, 0x484848); // 1.5 % of the pixels off by 72: mean difference 1.08
        }
        for (int i = 0; i < 250; i++) {
            many.setRGB(i % 100, i / 100, 0x484848); // 2.5 % of the pixels: mean 1.8, but too many differ
        }
        assertThat(Difference.between(few, base).matches()).isTrue();
        assertThat(Difference.between(many, base).matches()).isFalse();
        BufferedImage tinted = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 100 * 100; i++) {
            tinted.setRGB(i % 100, i / 100, 0x030303); // no large difference, but a mean of 3
        }
        assertThat(Difference.between(tinted, base).matches()).isFalse();
    }

    // ---------------------------------------------------------------- synthetic inputs

    /** A grey ramp from left to right with a bright square a little right of the centre. */
    static ModelInput.Dense image() {
        return new ModelInput.Dense(grid((y, x) -> {
            boolean square = y >= 8 && y < 20 && x >= 11 && x < 23;
            return square ? 0.9 : 0.1 + 0.35 * x / (W - 1.0);
        }), new long[] {1, H, W});
    }

    /** A Gaussian bump on the square, in [0, 1] as Grad-CAM reports it, moved right by dx pixels. */
    static float[] gradCamMap(int dx) {
        return grid((y, x) -> Math.exp(-((y - 13.5) * (y - 13.5) + (x - 16.5 - dx) * (x - 16.5 - dx)) / (2 * 4.5 * 4.5)));
    }

    /** Edges of the square plus a faint ripple: what a gradient map looks like. */
    static float[] saliencyMap() {
        return grid((y, x) -> {
            double edge = Math.exp(-Math.pow(Math.min(Math.abs(y - 8), Math.abs(y - 19.5)), 2) / 2) * (x >= 10 && x < 24 ? 1 : 0)
                    + Math.exp(-Math.pow(Math.min(Math.abs(x - 11), Math.abs(x - 22.5)), 2) / 2) * (y >= 7 && y < 21 ? 1 : 0);
            return 0.4 * Math.min(edge, 1.2) + 0.05 * Math.abs(Math.sin(0.7 * x) * Math.cos(0.5 * y));
        });
    }

    /** Signed, small values: positive on the right half of the square, negative on the left. */
    static float[] integratedGradientsMap() {
        return grid((y, x) -> 0.012 * Math.tanh((x - 16.5) / 3.0) * Math.exp(-((y - 13.5) * (y - 13.5)) / (2 * 5.0 * 5.0))
                + 0.004 * Math.exp(-((y - 4) * (y - 4) + (x - 4) * (x - 4)) / 4.0));
    }

    static final int REVIEW_LENGTH = 12;

    static List<String> reviewTokens() {
        return List.of("[CLS]", "the", "zipper", "was", "not", "good", "but", "the", "colour", "is", "lovely", "[SEP]", "[PAD]", "[PAD]");
    }

    static ModelInput.Tokens review() {
        List<String> tokens = reviewTokens();
        long[] ids = new long[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i < REVIEW_LENGTH ? 10 + i : 0;
        }
        return new ModelInput.Tokens(new Tokenizer.Encoding(ids, tokens, REVIEW_LENGTH));
    }

    static final List<String> SHORT_TOKENS = List.of("[CLS]", "the", "zipper", "was", "not", "good", "at", "[SEP]");

    /**
     * Attention of one head: each head looks at a different offset (previous, same, next token...)
     * with its own sharpness, and some heads also at [CLS] or [SEP].
     */
    static float[] headMatrix(int layer, int head) {
        int offset = head % 4 - 1;
        double sharpness = 0.6 + 0.25 * (head / 4) + 0.3 * layer;
        return softmaxRows(SHORT_TOKENS.size(), (q, k) -> -sharpness * Math.abs(q + offset - k)
                + (head % 3 == 0 && k == 0 ? 1.5 : 0) + (head % 5 == 2 && k == SHORT_TOKENS.size() - 1 ? 1.2 : 0));
    }

    static float[] softmaxRows(int n, ScoreFunction score) {
        float[] m = new float[n * n];
        for (int q = 0; q < n; q++) {
            double sum = 0;
            double[] e = new double[n];
            for (int k = 0; k < n; k++) {
                e[k] = Math.exp(score.at(q, k));
                sum += e[k];
            }
            for (int k = 0; k < n; k++) {
                m[q * n + k] = (float) (e[k] / sum);
            }
        }
        return m;
    }

    interface ScoreFunction {
        double at(int q, int k);
    }

    interface PixelFunction {
        double at(int y, int x);
    }

    static float[] grid(PixelFunction f) {
        float[] v = new float[H * W];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                v[y * W + x] = (float) f.at(y, x);
            }
        }
        return v;
    }

    static Attribution attribution(Method method, float[] map, Map<String, Double> summary) {
        Tensor t = new Tensor(map, new long[] {H, W});
        return new Attribution(method, Map.of(), t, t, null, summary, Map.of(), 1);
    }

    /**
     * Predicted Bag, truly a Sneaker ranked third: the predicted class's Grad-CAM looks at the
     * bottom-right corner (a 7 x 7 activation grid, upsampled by the figure), the true class's at
     * the square; without {@code complete}, the true class lacks integrated gradients.
     */
    static MisclassificationEvent misclassified(boolean complete) {
        String[] labels = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
        IntFunction<ClassRef> ref = c -> new ClassRef(c, labels[c], switch (c) {
            case 8 -> 0.873;
            case 5 -> 0.051;
            case 7 -> 0.041;
            case 9 -> 0.021;
            default -> 0.008;
        });
        float[] corner = new float[7 * 7];
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 7; j++) {
                corner[i * 7 + j] = (float) Math.exp(-((i - 5.5) * (i - 5.5) + (j - 5.5) * (j - 5.5)) / 2.0);
            }
        }
        List<MethodResult> predicted = List.of(
                result("grad-cam", EncodedMap.of(corner, 7, 7)),
                result("integrated-gradients", EncodedMap.of(grid((y, x) -> 0.01 * Math.exp(-((y - 23) * (y - 23) + (x - 23) * (x - 23)) / 8.0)
                        + 0.002 * Math.abs(Math.sin(0.5 * x + 0.3 * y))), H, W)));
        List<MethodResult> truth = new ArrayList<>();
        truth.add(result("grad-cam", EncodedMap.of(gradCamMap(0), H, W)));
        if (complete) {
            truth.add(result("integrated-gradients", EncodedMap.of(integratedGradientsMap(), H, W)));
        }
        Instant t = Instant.parse("2026-11-24T09:30:00.125Z");
        return new MisclassificationEvent("mis-0001", "pred-000480", new ModelRef("fashion-cnn", "2-shortcut"),
                t.plusSeconds(3), t, t.plusSeconds(2), ref.apply(8),
                new MisclassificationEvent.TrueClass(7, labels[7], 0.041, 3),
                List.of(ref.apply(8), ref.apply(5), ref.apply(7), ref.apply(9), ref.apply(6)),
                Misclassifications.diagnose(0.041, 3), predicted, truth, null, null, null, "sha256:0");
    }

    /** A published or replayed explanation of pred-000123 with one Grad-CAM map. */
    static ExplanationEvent explained(float[] gradCam) {
        Instant t = Instant.parse("2026-11-24T09:30:00.125Z");
        ClassRef bag = new ClassRef(8, "Bag", 0.873);
        return new ExplanationEvent("expl-0001", "pred-000123", new ModelRef("fashion-cnn", "1"), t, t,
                new ExplanationEvent.Sampling("baseline", List.of("baseline"), 0.873, 0.5), bag, bag,
                List.of(result("grad-cam", EncodedMap.of(gradCam, H, W))), null, null,
                new ExplanationEvent.EngineInfo("PyTorch", "2.7.1", "0.36.0", "cpu()", "test"), "sha256:" + "0".repeat(64));
    }

    static MethodResult result(String method, EncodedMap map) {
        return new MethodResult(method, Map.of(), map, null, Map.of(), 1);
    }

    // ---------------------------------------------------------------- goldens

    /** Writes the figure to target/figures, then writes or compares its golden. */
    static void matchesGolden(String name, BufferedImage figure) {
        Panels.writePng(figure, RENDERED.resolve(name + ".png"));
        if (UPDATE) {
            Panels.writePng(figure, GOLDEN.resolve(name + ".png"));
            return;
        }
        Path file = GOLDEN.resolve(name + ".png");
        assertThat(file).as("golden %s (write it with -Dspotlight.golden.update=true)", file).exists();
        compare(name, figure, golden(name));
    }

    static void compare(String name, BufferedImage figure, BufferedImage golden) {
        Difference d = Difference.between(figure, golden);
        if (!d.matches()) {
            if (d.sameSize()) {
                Panels.writePng(d.picture(figure, golden), RENDERED.resolve(name + ".diff.png"));
            }
            throw new AssertionError(String.format(Locale.ROOT,
                    "figure %s differs from its golden %s: %s; see %s (after a deliberate change, rerun with -Dspotlight.golden.update=true)",
                    name, GOLDEN.resolve(name + ".png"), d, RENDERED.resolve(name + ".png")));
        }
    }

    static BufferedImage golden(String name) {
        try {
            return ImageIO.read(GOLDEN.resolve(name + ".png").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How far a figure is from its golden. */
    record Difference(int width, int height, int goldenWidth, int goldenHeight, double mean, double differingShare) {

        static Difference between(BufferedImage actual, BufferedImage expected) {
            if (actual.getWidth() != expected.getWidth() || actual.getHeight() != expected.getHeight()) {
                return new Difference(actual.getWidth(), actual.getHeight(), expected.getWidth(), expected.getHeight(),
                        Double.NaN, Double.NaN);
            }
            long total = 0;
            long differing = 0;
            for (int y = 0; y < actual.getHeight(); y++) {
                for (int x = 0; x < actual.getWidth(); x++) {
                    int worst = 0;
                    for (int shift = 0; shift <= 16; shift += 8) {
                        int d = channelDifference(actual.getRGB(x, y), expected.getRGB(x, y), shift);
                        total += d;
                        worst = Math.max(worst, d);
                    }
                    if (worst > LARGE_DIFFERENCE) {
                        differing++;
                    }
                }
            }
            double pixels = (double) actual.getWidth() * actual.getHeight();
            return new Difference(actual.getWidth(), actual.getHeight(), expected.getWidth(), expected.getHeight(),
                    total / (3 * pixels), differing / pixels);
        }

        private static int channelDifference(int a, int b, int shift) {
            return Math.abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF));
        }

        boolean sameSize() {
            return width == goldenWidth && height == goldenHeight;
        }

        boolean matches() {
            return sameSize() && mean <= MAX_MEAN_DIFFERENCE && differingShare <= MAX_DIFFERING_SHARE;
        }

        /** White where the two agree, darker where they differ (the largest channel difference). */
        BufferedImage picture(BufferedImage actual, BufferedImage expected) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            IntBinaryOperator worst = (a, b) -> Math.max(channelDifference(a, b, 0),
                    Math.max(channelDifference(a, b, 8), channelDifference(a, b, 16)));
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int g = 255 - worst.applyAsInt(actual.getRGB(x, y), expected.getRGB(x, y));
                    img.setRGB(x, y, (g << 16) | (g << 8) | g);
                }
            }
            return img;
        }

        @Override
        public String toString() {
            if (!sameSize()) {
                return String.format(Locale.ROOT, "size %d x %d, golden %d x %d", width, height, goldenWidth, goldenHeight);
            }
            return String.format(Locale.ROOT, "mean absolute difference %.3f (at most %.1f), %.2f %% of pixels differ by more than %d (at most %.0f %%)",
                    mean, MAX_MEAN_DIFFERENCE, 100 * differingShare, LARGE_DIFFERENCE, 100 * MAX_DIFFERING_SHARE);
        }
    }
}

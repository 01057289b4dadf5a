package io.spotlight.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The building blocks of Spotlight's pictures: maps through a colour map, grey images, overlays,
 * colour bars, titles, tokens coloured by score, labelled matrices, and rows/grids of panels.
 * Pure Java2D, headless.
 */
public final class Pictures {

    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    static final Color INK = new Color(0x222222);
    static final Font NOTE = new Font(Font.SANS_SERIF, Font.ITALIC, 11);
    static final Color FRAME = new Color(0x444444);
    private static final int PAD = 8;
    private static final int MAX_TITLE_WIDTH = 480;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Pictures() {}

    /** The value range [min, max] of a map. */
    public static double[] range(float[] v) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float f : v) {
            if (Float.isFinite(f)) {
                lo = Math.min(lo, f);
                hi = Math.max(hi, f);
            }
        }
        return lo > hi ? new double[] {0, 1} : new double[] {lo, hi};
    }

    /** A h x w map through a colour map between lo and hi, each cell drawn scale x scale pixels. */
    public static BufferedImage heat(float[] map, int h, int w, Colormap cm, double lo, double hi, int scale) {
        BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        double span = hi > lo ? hi - lo : 1;
        for (int y = 0; y < h * scale; y++) {
            for (int x = 0; x < w * scale; x++) {
                img.setRGB(x, y, cm.rgb((map[(y / scale) * w + x / scale] - lo) / span));
            }
        }
        return img;
    }

    /** A grey image from values scaled between their min and max. */
    public static BufferedImage grey(float[] pixels, int h, int w, int scale) {
        double[] r = range(pixels);
        BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        double span = r[1] > r[0] ? r[1] - r[0] : 1;
        for (int y = 0; y < h * scale; y++) {
            for (int x = 0; x < w * scale; x++) {
                int g = (int) Math.round(255 * (pixels[(y / scale) * w + x / scale] - r[0]) / span);
                img.setRGB(x, y, (g << 16) | (g << 8) | g);
            }
        }
        return img;
    }

    /** A colour image from three channel planes (C order, channels first), scaled together between their min and max. */
    public static BufferedImage rgb(float[] planes, int h, int w, int scale) {
        double[] r = range(planes);
        double span = r[1] > r[0] ? r[1] - r[0] : 1;
        BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h * scale; y++) {
            for (int x = 0; x < w * scale; x++) {
                int k = (y / scale) * w + x / scale;
                int c = 0;
                for (int ch = 0; ch < 3; ch++) {
                    c = (c << 8) | (int) Math.round(255 * (planes[ch * h * w + k] - r[0]) / span);
                }
                img.setRGB(x, y, c);
            }
        }
        return img;
    }

    /** The heat image laid over the base with the given opacity (the chapter's alpha = 0.5). */
    public static BufferedImage overlay(BufferedImage base, BufferedImage heat, double alpha) {
        BufferedImage out = new BufferedImage(base.getWidth(), base.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < base.getHeight(); y++) {
            for (int x = 0; x < base.getWidth(); x++) {
                int a = base.getRGB(x, y);
                int b = heat.getRGB(x, y);
                int r = (int) Math.round((1 - alpha) * ((a >> 16) & 0xFF) + alpha * ((b >> 16) & 0xFF));
                int g = (int) Math.round((1 - alpha) * ((a >> 8) & 0xFF) + alpha * ((b >> 8) & 0xFF));
                int bl = (int) Math.round((1 - alpha) * (a & 0xFF) + alpha * (b & 0xFF));
                out.setRGB(x, y, (r << 16) | (g << 8) | bl);
            }
        }
        return out;
    }

    /**
     * A vertical colour bar as tall as the map it explains, framed, with tick marks and labels at
     * round values (as matplotlib's colour bar), from lo at the bottom to hi at the top.
     */
    public static BufferedImage colorBar(Colormap cm, double lo, double hi, int height) {
        FontMetrics fm = metrics(LABEL);
        double[] ticks = ticks(lo, hi, Math.max(2, Math.min(7, height / 40)));
        String[] labels = tickLabels(ticks);
        int barX = 4;
        int barW = 14;
        int textX = barX + barW + 6;
        int width = textX + Arrays.stream(labels).mapToInt(fm::stringWidth).max().orElse(0) + 4;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        for (int y = 0; y < height; y++) {
            g.setColor(new Color(cm.rgb(1 - (double) y / Math.max(1, height - 1))));
            g.fillRect(barX, y, barW, 1);
        }
        g.setColor(FRAME);
        g.drawRect(barX, 0, barW - 1, height - 1);
        g.setFont(LABEL);
        for (int i = 0; i < ticks.length; i++) {
            int y = (int) Math.round((height - 1) * (hi > lo ? (hi - ticks[i]) / (hi - lo) : 1));
            g.setColor(FRAME);
            g.drawLine(barX + barW, y, barX + barW + 3, y);
            g.setColor(INK);
            int baseline = Math.max(fm.getAscent(), Math.min(height - fm.getDescent(), y + (fm.getAscent() - fm.getDescent()) / 2));
            g.drawString(labels[i], textX, baseline);
        }
        g.dispose();
        return img;
    }

    /**
     * The panel with a title above it, one line per {@code \n}; the picture widens for a title up to
     * {@value #MAX_TITLE_WIDTH} pixels wide, and longer lines get cut.
     */
    public static BufferedImage titled(BufferedImage panel, String title) {
        String[] lines = title.split("\n");
        int th = 18 * lines.length + 4;
        FontMetrics fm = metrics(TITLE);
        int w = Math.max(panel.getWidth(), 60);
        for (String line : lines) {
            w = Math.max(w, Math.min(fm.stringWidth(line) + 8, Math.max(panel.getWidth(), MAX_TITLE_WIDTH)));
        }
        BufferedImage img = new BufferedImage(w, panel.getHeight() + th, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        g.setFont(TITLE);
        g.setColor(INK);
        for (int i = 0; i < lines.length; i++) {
            String line = fit(lines[i], fm, w);
            g.drawString(line, Math.max(0, (w - fm.stringWidth(line)) / 2), 15 + 18 * i);
        }
        g.drawImage(panel, (w - panel.getWidth()) / 2, th, null);
        g.dispose();
        return img;
    }

    /** A line of bold text as wide as the figure it heads. */
    public static BufferedImage caption(String text, int width) {
        BufferedImage img = new BufferedImage(Math.max(width, 1), 24, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        g.setFont(TITLE);
        g.setColor(INK);
        g.drawString(fit(text, g.getFontMetrics(), width - 2 * PAD), PAD, 17);
        g.dispose();
        return img;
    }

    /** Panels side by side, top-aligned, on white. */
    public static BufferedImage row(List<BufferedImage> panels) {
        int w = PAD;
        int h = 0;
        for (BufferedImage p : panels) {
            w += p.getWidth() + PAD;
            h = Math.max(h, p.getHeight());
        }
        BufferedImage img = new BufferedImage(w, h + 2 * PAD, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        int x = PAD;
        for (BufferedImage p : panels) {
            g.drawImage(p, x, PAD, null);
            x += p.getWidth() + PAD;
        }
        g.dispose();
        return img;
    }

    /** Rows stacked, left-aligned. */
    public static BufferedImage column(List<BufferedImage> rows) {
        int w = 0;
        int h = 0;
        for (BufferedImage r : rows) {
            w = Math.max(w, r.getWidth());
            h += r.getHeight();
        }
        BufferedImage img = new BufferedImage(Math.max(w, 1), Math.max(h, 1), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        int y = 0;
        for (BufferedImage r : rows) {
            g.drawImage(r, 0, y, null);
            y += r.getHeight();
        }
        g.dispose();
        return img;
    }

    /**
     * Tokens on coloured boxes (the chapter's text view), each score printed under its token, wrapped
     * to the width. The colour map is centred on zero: a score s is drawn at (s / m + 1) / 2 with m
     * the largest |score| shown, so with a diverging map (RdYlGn) negative scores are red, positive
     * ones green and zero the neutral middle; a colour bar from -m to m closes the picture.
     */
    public static BufferedImage tokens(List<String> tokens, float[] scores, Colormap cm, String headline, int width) {
        double m = 0;
        for (int i = 0; i < tokens.size(); i++) {
            if (Float.isFinite(scores[i])) {
                m = Math.max(m, Math.abs(scores[i]));
            }
        }
        double[] r = m > 0 ? new double[] {-m, m} : new double[] {-1, 1};
        double span = r[1] - r[0];
        FontMetrics fm = metrics(TITLE);
        FontMetrics small = metrics(LABEL);
        String[] printed = new String[tokens.size()];
        int[] boxes = new int[tokens.size()];
        int x = PAD;
        int lines = 1;
        for (int i = 0; i < tokens.size(); i++) {
            printed[i] = String.format(Locale.ROOT, "%.3f", scores[i]);
            boxes[i] = Math.max(fm.stringWidth(tokens.get(i)), small.stringWidth(printed[i])) + 10;
            if (x + boxes[i] > width - PAD && x > PAD) {
                lines++;
                x = PAD;
            }
            x += boxes[i] + 6;
        }
        int lineH = 44;
        BufferedImage img = new BufferedImage(width, 30 + lines * lineH + 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        g.setFont(TITLE);
        g.setColor(INK);
        g.drawString(fit(headline, fm, width), PAD, 18);
        x = PAD;
        int y = 30;
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            int tw = boxes[i];
            if (x + tw > width - PAD && x > PAD) {
                x = PAD;
                y += lineH;
            }
            Color c = new Color(cm.rgb((scores[i] - r[0]) / span));
            g.setColor(c);
            g.fillRoundRect(x, y, tw, 22, 8, 8);
            g.setFont(TITLE);
            g.setColor(luminance(c) > 0.55 ? INK : Color.WHITE);
            g.drawString(t, x + (tw - fm.stringWidth(t)) / 2, y + 16);
            g.setFont(LABEL);
            g.setColor(INK);
            g.drawString(printed[i], x + (tw - small.stringWidth(printed[i])) / 2, y + 35);
            x += tw + 6;
        }
        BufferedImage bar = horizontalBar(cm, r[0], r[1], width - 2 * PAD);
        g.drawImage(bar, PAD, img.getHeight() - 36, null);
        g.dispose();
        return img;
    }

    /** A labelled n x n matrix (attention: rows are queries, columns keys), without axis titles. */
    public static BufferedImage matrix(float[] m, List<String> labels, Colormap cm, int cell, boolean withLabels) {
        return matrix(m, labels, cm, cell, withLabels, null, null);
    }

    /**
     * A labelled n x n matrix as matplotlib's {@code imshow} draws it: the cells through the colour
     * map between the matrix's min and max, a frame, the labels left of the rows and under the
     * columns (rotated to read upwards), and optional axis titles under the column labels and left
     * of the row labels (null for none). The cells start at (left margin, 0), the margin being the
     * room the row labels and the y-axis title take.
     */
    public static BufferedImage matrix(float[] m, List<String> labels, Colormap cm, int cell, boolean withLabels,
                                       String xTitle, String yTitle) {
        int n = labels.size();
        if (m.length != n * n) {
            throw new IllegalArgumentException(m.length + " values do not make a " + n + " x " + n + " matrix");
        }
        FontMetrics fm = metrics(LABEL);
        int labelSpace = withLabels ? longest(labels, fm) + 6 : 0;
        int titleSpace = fm.getHeight() + 4;
        int left = matrixLeft(labels, withLabels, yTitle);
        double[] r = range(m);
        BufferedImage heat = heat(m, n, n, cm, r[0], r[1], cell);
        int side = n * cell;
        int bottom = labelSpace + (xTitle != null ? titleSpace : 0);
        int width = Math.max(left + side + 2, xTitle != null ? left + (side + fm.stringWidth(xTitle)) / 2 + 2 : 0);
        BufferedImage img = new BufferedImage(width, side + bottom + 2, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        g.drawImage(heat, left, 0, null);
        g.setColor(FRAME);
        g.drawRect(left, 0, side - 1, side - 1);
        g.setFont(LABEL);
        g.setColor(INK);
        int lift = (fm.getAscent() - fm.getDescent()) / 2;
        if (withLabels) {
            for (int i = 0; i < n; i++) {
                String l = labels.get(i);
                g.drawString(l, left - 4 - fm.stringWidth(l), i * cell + cell / 2 + lift);
                Graphics2D v = (Graphics2D) g.create();
                v.translate(left + i * cell + cell / 2 + lift, side + 4 + fm.stringWidth(l));
                v.rotate(-Math.PI / 2);
                v.drawString(l, 0, 0);
                v.dispose();
            }
        }
        if (xTitle != null) {
            g.drawString(xTitle, left + (side - fm.stringWidth(xTitle)) / 2, side + labelSpace + fm.getAscent() + 2);
        }
        if (yTitle != null) {
            Graphics2D v = (Graphics2D) g.create();
            v.translate(fm.getAscent(), (side + fm.stringWidth(yTitle)) / 2);
            v.rotate(-Math.PI / 2);
            v.drawString(yTitle, 0, 0);
            v.dispose();
        }
        g.dispose();
        return img;
    }

    /** Where {@link #matrix} starts the cells: the room its row labels and y-axis title take. */
    private static int matrixLeft(List<String> labels, boolean withLabels, String yTitle) {
        FontMetrics fm = metrics(LABEL);
        return (withLabels ? longest(labels, fm) + 6 : 0) + (yTitle != null ? fm.getHeight() + 4 : 0);
    }

    /**
     * Panels in a grid of the given number of columns, read row by row; every cell is as large as
     * the largest panel, which sits centred at its top, so the rows and columns line up.
     */
    public static BufferedImage grid(List<BufferedImage> panels, int columns) {
        if (columns < 1) {
            throw new IllegalArgumentException("a grid needs at least one column");
        }
        int cw = panels.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
        int ch = panels.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        List<BufferedImage> rows = new java.util.ArrayList<>();
        for (int i = 0; i < panels.size(); i += columns) {
            List<BufferedImage> cells = new java.util.ArrayList<>();
            for (BufferedImage p : panels.subList(i, Math.min(i + columns, panels.size()))) {
                BufferedImage c = new BufferedImage(cw, ch, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = canvas(c);
                g.drawImage(p, (cw - p.getWidth()) / 2, 0, null);
                g.dispose();
                cells.add(c);
            }
            rows.add(row(cells));
        }
        return column(rows);
    }

    /**
     * A width x height cell of text, as a figure's text panel: each paragraph wraps at the width; a
     * paragraph that starts with "# " is a bold heading; one with a tab is a table line, its part
     * after the tab right-aligned; an empty one is a small gap. Lines past the height are left out.
     */
    public static BufferedImage text(List<String> paragraphs, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        g.setColor(INK);
        FontMetrics label = metrics(LABEL);
        FontMetrics bold = metrics(TITLE);
        int y = 0;
        for (String p : paragraphs) {
            if (p.isEmpty()) {
                y += label.getHeight() / 2;
            } else if (p.startsWith("# ")) {
                g.setFont(TITLE);
                for (String line : wrap(p.substring(2), bold, width - 2 * 4)) {
                    y += bold.getHeight();
                    g.drawString(line, 4, y - bold.getDescent());
                }
            } else if (p.indexOf('\t') >= 0) {
                g.setFont(LABEL);
                String right = p.substring(p.indexOf('\t') + 1);
                y += label.getHeight();
                int rx = width - 4 - label.stringWidth(right);
                g.drawString(fit(p.substring(0, p.indexOf('\t')), label, rx - 8 - 4), 4, y - label.getDescent());
                g.drawString(right, rx, y - label.getDescent());
            } else {
                g.setFont(LABEL);
                for (String line : wrap(p, label, width - 2 * 4)) {
                    y += label.getHeight();
                    g.drawString(line, 4, y - label.getDescent());
                }
            }
        }
        g.dispose();
        return img;
    }

    /** An empty width x height cell in a light frame, with a note in its middle (a figure's missing panel). */
    public static BufferedImage note(String text, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        g.setColor(new Color(0xBBBBBB));
        g.drawRect(0, 0, width - 1, height - 1);
        g.setFont(NOTE);
        g.setColor(new Color(0x666666));
        FontMetrics fm = metrics(NOTE);
        List<String> lines = wrap(text, fm, width - 16);
        int y = (height - lines.size() * fm.getHeight()) / 2 + fm.getAscent();
        for (String line : lines) {
            g.drawString(line, (width - fm.stringWidth(line)) / 2, y);
            y += fm.getHeight();
        }
        g.dispose();
        return img;
    }

    /** A horizontal colour bar, lo on the left, with tick marks and labels at round values under it. */
    public static BufferedImage horizontalBar(Colormap cm, double lo, double hi, int width) {
        FontMetrics fm = metrics(LABEL);
        BufferedImage img = new BufferedImage(width, 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        for (int x = 0; x < width; x++) {
            g.setColor(new Color(cm.rgb((double) x / Math.max(1, width - 1))));
            g.fillRect(x, 0, 1, 12);
        }
        g.setColor(FRAME);
        g.drawRect(0, 0, width - 1, 11);
        double[] ticks = ticks(lo, hi, Math.max(2, Math.min(9, width / 100)));
        String[] labels = tickLabels(ticks);
        g.setFont(LABEL);
        for (int i = 0; i < ticks.length; i++) {
            int x = (int) Math.round((width - 1) * (hi > lo ? (ticks[i] - lo) / (hi - lo) : 0));
            g.setColor(FRAME);
            g.drawLine(x, 12, x, 14);
            g.setColor(INK);
            int w = fm.stringWidth(labels[i]);
            g.drawString(labels[i], Math.max(0, Math.min(width - w, x - w / 2)), 15 + fm.getAscent());
        }
        g.dispose();
        return img;
    }

    /**
     * Round tick values inside [lo, hi], at most about max of them: a step of 1, 2, 2.5 or 5 times a
     * power of ten (as matplotlib's default locator). A flat range has a single tick.
     */
    static double[] ticks(double lo, double hi, int max) {
        if (!(hi > lo)) {
            return new double[] {lo};
        }
        double raw = (hi - lo) / Math.max(1, max - 1);
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude * 10;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= raw * (1 - 1e-9)) {
                step = m * magnitude;
                break;
            }
        }
        double first = Math.ceil(lo / step - 1e-9);
        List<Double> out = new java.util.ArrayList<>();
        for (double k = first; k * step <= hi + step * 1e-9; k++) {
            out.add(k == 0 ? 0.0 : k * step);
        }
        if (out.size() < 2) {
            return new double[] {lo, hi};
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Labels of evenly spaced ticks: as many decimals as the step needs, scientific for very small or large values. */
    static String[] tickLabels(double[] ticks) {
        double largest = Arrays.stream(ticks).map(Math::abs).max().orElse(0);
        double step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : Math.max(largest, 1);
        String[] out = new String[ticks.length];
        boolean scientific = largest >= 1e5 || (largest > 0 && largest < 1e-3);
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        double scaled = step * Math.pow(10, decimals);
        if (Math.abs(scaled - Math.rint(scaled)) > 1e-6) {
            decimals++; // 2.5 x 10^k
        }
        for (int i = 0; i < ticks.length; i++) {
            out[i] = scientific ? String.format(Locale.ROOT, "%.2g", ticks[i]) : String.format(Locale.ROOT, "%." + decimals + "f", ticks[i]);
        }
        return out;
    }

    /** A white canvas with antialiased text. */
    static Graphics2D canvas(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setStroke(new BasicStroke(1f));
        return g;
    }

    private static String fit(String s, FontMetrics fm, int width) {
        if (fm.stringWidth(s) <= width) {
            return s;
        }
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t + "...") > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "...";
    }

    /** The metrics of a font as {@link #canvas} draws it. */
    static FontMetrics metrics(Font font) {
        Graphics2D g = canvas(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
        FontMetrics fm = g.getFontMetrics(font);
        g.dispose();
        return fm;
    }

    private static int longest(List<String> strings, FontMetrics fm) {
        return strings.stream().mapToInt(fm::stringWidth).max().orElse(0);
    }

    /** The text broken at spaces into lines no wider than the width (a single word too long is cut). */
    static List<String> wrap(String text, FontMetrics fm, int width) {
        List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.trim().split("\\s+")) {
            if (line.length() > 0 && fm.stringWidth(line + " " + word) > width) {
                lines.add(fit(line.toString(), fm, width));
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        if (line.length() > 0) {
            lines.add(fit(line.toString(), fm, width));
        }
        return lines;
    }

    private static double luminance(Color c) {
        return (0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()) / 255.0;
    }

    public static void writePng(BufferedImage img, Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}

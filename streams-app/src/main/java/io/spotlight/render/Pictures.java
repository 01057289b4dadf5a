package io.spotlight.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private static final int PAD = 8;

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

    /** A vertical colour bar with its end values. */
    public static BufferedImage colorBar(Colormap cm, double lo, double hi, int height) {
        BufferedImage img = new BufferedImage(70, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        for (int y = 0; y < height - 12; y++) {
            g.setColor(new Color(cm.rgb(1 - (double) y / (height - 13))));
            g.fillRect(4, y + 6, 14, 1);
        }
        g.setColor(INK);
        g.setFont(LABEL);
        g.drawString(number(hi), 22, 14);
        g.drawString(number((lo + hi) / 2), 22, height / 2 + 4);
        g.drawString(number(lo), 22, height - 6);
        g.dispose();
        return img;
    }

    /** The panel with a title above it (long titles wrap at " | " or get cut). */
    public static BufferedImage titled(BufferedImage panel, String title) {
        String[] lines = title.split("\n");
        int th = 18 * lines.length + 4;
        int w = Math.max(panel.getWidth(), 60);
        BufferedImage img = new BufferedImage(w, panel.getHeight() + th, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        g.setFont(TITLE);
        g.setColor(INK);
        FontMetrics fm = g.getFontMetrics();
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
     * Tokens on coloured boxes (the chapter's text view): colour from the score normalised to
     * [0, 1] over the shown tokens, the score printed under each token; wraps to the width.
     */
    public static BufferedImage tokens(List<String> tokens, float[] scores, Colormap cm, String headline, int width) {
        double[] r = range(scores);
        double span = r[1] > r[0] ? r[1] - r[0] : 1;
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        pg.setFont(TITLE);
        FontMetrics fm = pg.getFontMetrics();
        int x = PAD;
        int lines = 1;
        for (String t : tokens) {
            int tw = fm.stringWidth(t) + 10;
            if (x + tw > width - PAD) {
                lines++;
                x = PAD;
            }
            x += tw + 6;
        }
        pg.dispose();
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
            int tw = fm.stringWidth(t) + 10;
            if (x + tw > width - PAD) {
                x = PAD;
                y += lineH;
            }
            Color c = new Color(cm.rgb((scores[i] - r[0]) / span));
            g.setColor(c);
            g.fillRoundRect(x, y, tw, 22, 8, 8);
            g.setFont(TITLE);
            g.setColor(luminance(c) > 0.55 ? INK : Color.WHITE);
            g.drawString(t, x + 5, y + 16);
            g.setFont(LABEL);
            g.setColor(INK);
            g.drawString(String.format(Locale.ROOT, "%.3f", scores[i]), x + 2, y + 35);
            x += tw + 6;
        }
        BufferedImage bar = horizontalBar(cm, r[0], r[1], width - 2 * PAD);
        g.drawImage(bar, PAD, img.getHeight() - 36, null);
        g.dispose();
        return img;
    }

    /** A labelled n x n matrix (attention: rows are queries, columns keys). */
    public static BufferedImage matrix(float[] m, List<String> labels, Colormap cm, int cell, boolean withLabels) {
        int n = labels.size();
        int margin = 0;
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        pg.setFont(LABEL);
        FontMetrics fm = pg.getFontMetrics();
        if (withLabels) {
            for (String l : labels) {
                margin = Math.max(margin, fm.stringWidth(l));
            }
            margin += 6;
        }
        pg.dispose();
        double[] r = range(m);
        BufferedImage heat = heat(m, n, n, cm, r[0], r[1], cell);
        BufferedImage img = new BufferedImage(margin + heat.getWidth() + 2, margin + heat.getHeight() + 2, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        g.drawImage(heat, margin, 0, null);
        if (withLabels) {
            g.setFont(LABEL);
            g.setColor(INK);
            for (int i = 0; i < n; i++) {
                String l = labels.get(i);
                g.drawString(l, margin - 4 - fm.stringWidth(l), i * cell + cell / 2 + 4);
                Graphics2D v = (Graphics2D) g.create();
                v.translate(margin + i * cell + cell / 2 + 4, heat.getHeight() + 4);
                v.rotate(Math.PI / 2);
                v.drawString(l, 0, 0);
                v.dispose();
            }
        }
        g.dispose();
        return img;
    }

    public static BufferedImage horizontalBar(Colormap cm, double lo, double hi, int width) {
        BufferedImage img = new BufferedImage(width, 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        for (int x = 0; x < width; x++) {
            g.setColor(new Color(cm.rgb((double) x / (width - 1))));
            g.fillRect(x, 0, 1, 12);
        }
        g.setColor(INK);
        g.setFont(LABEL);
        g.drawString(number(lo), 0, 26);
        String h = number(hi);
        g.drawString(h, width - g.getFontMetrics().stringWidth(h), 26);
        g.dispose();
        return img;
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

    static String number(double v) {
        return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v != 0) ? String.format(Locale.ROOT, "%.2e", v) : String.format(Locale.ROOT, "%.3f", v);
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

    public static void writePng(BufferedImage img, OutputStream out) {
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

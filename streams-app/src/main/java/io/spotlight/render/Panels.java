package io.spotlight.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntUnaryOperator;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.block.RectangleConstraint;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.Size2D;
import org.jfree.data.Range;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The panels Spotlight's figures are made of, and how they are laid out: maps through a colour map
 * and images, cell by cell; overlays; titles, captions, text and notes; tokens coloured by score;
 * rows, columns and grids. What has axes and ticks (colour bars, labelled matrices) JFreeChart
 * draws. Headless.
 */
public final class Panels {

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

    private Panels() {}

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
        double span = hi > lo ? hi - lo : 1;
        return cells(h, w, scale, k -> cm.rgb((map[k] - lo) / span));
    }

    /** A grey image from values scaled between their min and max. */
    public static BufferedImage grey(float[] pixels, int h, int w, int scale) {
        IntUnaryOperator level = levels(pixels);
        return cells(h, w, scale, k -> level.applyAsInt(k) * 0x010101);
    }

    /** A colour image from three channel planes (C order, channels first), scaled together between their min and max. */
    public static BufferedImage rgb(float[] planes, int h, int w, int scale) {
        IntUnaryOperator level = levels(planes);
        return cells(h, w, scale, k -> (level.applyAsInt(k) << 16) | (level.applyAsInt(h * w + k) << 8) | level.applyAsInt(2 * h * w + k));
    }

    /** Value k of v as a level 0-255 between the values' min and max. */
    private static IntUnaryOperator levels(float[] v) {
        double[] r = range(v);
        double span = r[1] > r[0] ? r[1] - r[0] : 1;
        return k -> (int) Math.round(255 * (v[k] - r[0]) / span);
    }

    /** An h x w grid of cells, each scale x scale pixels of the colour (0xRRGGBB) of its index. */
    private static BufferedImage cells(int h, int w, int scale, IntUnaryOperator colour) {
        BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h * scale; y++) {
            for (int x = 0; x < w * scale; x++) {
                img.setRGB(x, y, colour.applyAsInt((y / scale) * w + x / scale));
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
     * A colour bar from lo to hi, length pixels long, with ticks at round values (as matplotlib's
     * colour bar): upright (lo at the bottom) beside a map, or flat (lo on the left) under tokens.
     */
    public static BufferedImage colourBar(Colormap cm, double lo, double hi, int length, boolean upright) {
        PaintScaleLegend bar = legend(cm, lo, hi, upright);
        Graphics2D probe = canvas(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
        // The bar spans the length; its labels take the room they need across it.
        Size2D size = bar.arrange(probe, new RectangleConstraint(new Range(0, upright ? 200 : length), new Range(0, upright ? length : 200)));
        probe.dispose();
        BufferedImage img = new BufferedImage(upright ? (int) Math.ceil(size.width) : length, upright ? length : (int) Math.ceil(size.height),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        bar.draw(g, new Rectangle2D.Double(0, 0, img.getWidth(), img.getHeight()));
        g.dispose();
        return img;
    }

    /** JFreeChart's colour bar for a colour map between lo and hi, beside (upright) or under a plot. */
    private static PaintScaleLegend legend(Colormap cm, double lo, double hi, boolean upright) {
        NumberAxis axis = new NumberAxis();
        axis.setRange(lo, hi > lo ? hi : lo + 1);
        style(axis);
        axis.setAxisLineVisible(false);
        PaintScaleLegend bar = new PaintScaleLegend(scale(cm, lo, hi), axis);
        bar.setPosition(upright ? RectangleEdge.RIGHT : RectangleEdge.BOTTOM);
        bar.setAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        bar.setStripWidth(upright ? 14 : 12);
        bar.setStripOutlineVisible(true);
        bar.setStripOutlinePaint(FRAME);
        bar.setAxisOffset(0);
        bar.setSubdivisionCount(256);
        bar.setPadding(upright ? new RectangleInsets(6, 4, 6, 2) : new RectangleInsets(2, 6, 2, 6));
        return bar;
    }

    /** A colour map between lo and hi as JFreeChart's paint scale: its 256 colours at even steps. */
    private static PaintScale scale(Colormap cm, double lo, double hi) {
        double span = hi > lo ? hi - lo : 1;
        LookupPaintScale scale = new LookupPaintScale(lo, lo + span, new Color(cm.rgb(0)));
        for (int i = 0; i < 256; i++) {
            scale.add(lo + span * i / 256, new Color(cm.rgb(i / 256.0)));
        }
        return scale;
    }

    private static void style(ValueAxis axis) {
        axis.setTickLabelFont(LABEL);
        axis.setLabelFont(LABEL);
        axis.setTickLabelPaint(INK);
        axis.setLabelPaint(INK);
        axis.setTickMarkPaint(FRAME);
    }

    /** A line of a chart: its name in the legend, its points, its colour and whether it is dashed. */
    public record Line(String name, double[] x, double[] y, Color colour, boolean dashed) {}

    /** Lines over axes of fixed ranges, with a legend under them: small charts such as a score's curves. */
    public static BufferedImage lines(List<Line> lines, String xTitle, String yTitle, double[] xRange, double[] yRange, int width, int height) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            XYSeries series = new XYSeries(l.name(), false, true);
            for (int k = 0; k < l.x().length; k++) {
                series.add(l.x()[k], l.y()[k]);
            }
            data.addSeries(series);
            renderer.setSeriesPaint(i, l.colour());
            renderer.setSeriesStroke(i, l.dashed()
                    ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {4f, 3f}, 0f)
                    : new BasicStroke(2f));
        }
        NumberAxis x = new NumberAxis(xTitle);
        x.setRange(xRange[0], xRange[1]);
        NumberAxis y = new NumberAxis(yTitle);
        y.setRange(yRange[0], yRange[1]);
        style(x);
        style(y);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        JFreeChart chart = new JFreeChart(null, LABEL, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getLegend().setItemFont(LABEL);
        chart.getLegend().setFrame(BlockBorder.NONE);
        return chart.createBufferedImage(width, height);
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
        BufferedImage bar = colourBar(cm, r[0], r[1], width - 2 * PAD, false);
        g.drawImage(bar, PAD, img.getHeight() - bar.getHeight() - 2, null);
        g.dispose();
        return img;
    }

    /**
     * A labelled n x n matrix as seaborn's heatmap draws attention: cell (row, column) through the
     * colour map between the matrix's min and max, the first row on top, each label beside its row
     * and under its column (reading upwards), cells {@code cell} pixels a side; optional axis titles
     * (null for none) and colour bar. JFreeChart's block renderer on symbol axes.
     */
    public static BufferedImage matrix(float[] m, List<String> labels, Colormap cm, int cell, String xTitle, String yTitle,
                                       boolean colourBar) {
        int n = labels.size();
        if (m.length != n * n) {
            throw new IllegalArgumentException(m.length + " values do not make a " + n + " x " + n + " matrix");
        }
        double[][] xyz = new double[3][n * n];
        for (int i = 0; i < n * n; i++) {
            xyz[0][i] = i % n;
            xyz[1][i] = i / n;
            xyz[2][i] = m[i];
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("matrix", xyz);
        String[] names = labels.toArray(String[]::new);
        SymbolAxis columns = symbols(xTitle, names);
        columns.setVerticalTickLabels(true);
        SymbolAxis rows = symbols(yTitle, names);
        rows.setInverted(true);
        double[] r = range(m);
        XYBlockRenderer blocks = new XYBlockRenderer();
        blocks.setPaintScale(scale(cm, r[0], r[1]));
        XYPlot plot = new XYPlot(data, columns, rows, blocks);
        plot.setOutlinePaint(FRAME);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        plot.setInsets(RectangleInsets.ZERO_INSETS);
        JFreeChart chart = new JFreeChart(null, null, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(false);
        chart.setPadding(new RectangleInsets(2, 2, 2, 2));
        PaintScaleLegend bar = colourBar ? legend(cm, r[0], r[1], true) : null;
        if (bar != null) {
            chart.addSubtitle(bar);
        }
        // The axes take what room their labels need: measure the cells, resize the chart to make them
        // cell pixels a side and the colour bar as tall as they are, until it holds.
        int side = n * cell;
        int width = 4 * side;
        int height = 4 * side;
        for (int pass = 0; pass < 3; pass++) {
            ChartRenderingInfo info = new ChartRenderingInfo();
            chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, info);
            Rectangle2D cells = info.getPlotInfo().getDataArea();
            width += (int) Math.round(side - cells.getWidth());
            height += (int) Math.round(side - cells.getHeight());
            if (bar != null) {
                bar.setMargin(cells.getMinY() - 2, 0, height - 2 - (cells.getMinY() + side), 0);
                bar.setPadding(0, 10, 0, 2);
            }
        }
        return chart.createBufferedImage(width + 1, height + 1, BufferedImage.TYPE_INT_RGB, null);
    }

    private static SymbolAxis symbols(String title, String[] names) {
        SymbolAxis axis = new SymbolAxis(title, names);
        style(axis);
        axis.setGridBandsVisible(false);
        axis.setAxisLineVisible(false);
        axis.setRange(-0.5, names.length - 0.5);
        return axis;
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
        List<BufferedImage> rows = new ArrayList<>();
        for (int i = 0; i < panels.size(); i += columns) {
            List<BufferedImage> cells = new ArrayList<>();
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

    /** The text broken at spaces into lines no wider than the width (a single word too long is cut). */
    static List<String> wrap(String text, FontMetrics fm, int width) {
        List<String> lines = new ArrayList<>();
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

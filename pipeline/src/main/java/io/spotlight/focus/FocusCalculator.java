package io.spotlight.focus;

import io.spotlight.events.FocusStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Computes {@link FocusStats} from a map. Pure arithmetic: no Kafka, no engine. */
public final class FocusCalculator {

    /** Tokens that carry no content: special tokens are left out of text mass. */
    static final Set<String> SPECIAL = Set.of("[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]");

    private FocusCalculator() {}

    /** Mass |v| normalised to sum 1; uniform when the map is all zero. */
    static double[] mass(float[] values) {
        double[] m = new double[values.length];
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            m[i] = Float.isFinite(values[i]) ? Math.abs(values[i]) : 0;
            sum += m[i];
        }
        for (int i = 0; i < m.length; i++) {
            m[i] = sum > 0 ? m[i] / sum : 1.0 / m.length;
        }
        return m;
    }

    /** Statistics of an h x w image map. */
    public static FocusStats image(String method, float[] map, int h, int w, FocusSettings s) {
        double[] m = mass(map);
        int gr = s.gridRows();
        int gc = s.gridCols();
        double[] grid = new double[gr * gc];
        double cy = 0;
        double cx = 0;
        double expected = 0;
        Map<String, Double> forbidden = new LinkedHashMap<>();
        s.forbidden().forEach(r -> forbidden.put(r.name(), 0.0));
        double forbiddenTotal = 0;
        for (int y = 0; y < h; y++) {
            double fy = (y + 0.5) / h;
            for (int x = 0; x < w; x++) {
                double fx = (x + 0.5) / w;
                double v = m[y * w + x];
                grid[Math.min(gr - 1, y * gr / h) * gc + Math.min(gc - 1, x * gc / w)] += v;
                cy += v * fy;
                cx += v * fx;
                if (s.expected() != null && s.expected().contains(fy, fx)) {
                    expected += v;
                }
                boolean anyForbidden = false;
                for (Region r : s.forbidden()) {
                    if (r.contains(fy, fx)) {
                        forbidden.merge(r.name(), v, Double::sum);
                        anyForbidden = true;
                    }
                }
                if (anyForbidden) {
                    forbiddenTotal += v;
                }
            }
        }
        List<FocusStats.Cell> cells = new ArrayList<>();
        for (int i = 0; i < grid.length; i++) {
            cells.add(new FocusStats.Cell(i / gc, i % gc, grid[i]));
        }
        cells.sort(Comparator.comparingDouble(FocusStats.Cell::mass).reversed());
        return new FocusStats(method, "image", new int[] {gr, gc}, toFloat(grid), entropy(grid), cy, cx,
                s.expected() == null ? null : expected, forbidden, forbiddenTotal, cells.subList(0, Math.min(s.top(), cells.size())),
                null, null, null);
    }

    /** Statistics of a per-token map (special tokens excluded from the mass). */
    public static FocusStats text(String method, float[] map, List<String> tokens, FocusSettings s) {
        int n = Math.min(map.length, tokens.size());
        float[] content = new float[n];
        for (int i = 0; i < n; i++) {
            content[i] = SPECIAL.contains(tokens.get(i)) ? 0f : map[i];
        }
        double[] m = mass(content);
        int bins = s.textBins();
        double[] grid = new double[bins];
        double centre = 0;
        double watch = 0;
        Map<String, Double> byToken = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            if (SPECIAL.contains(tokens.get(i))) {
                continue;
            }
            double pos = n == 1 ? 0.5 : (double) i / (n - 1);
            grid[Math.min(bins - 1, (int) (pos * bins))] += m[i];
            centre += m[i] * pos;
            String t = tokens.get(i).toLowerCase(Locale.ROOT);
            byToken.merge(t, m[i], Double::sum);
            if (s.watched(t)) {
                watch += m[i];
            }
        }
        List<FocusStats.TokenMass> top = byToken.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(s.top()).map(e -> new FocusStats.TokenMass(e.getKey(), e.getValue())).toList();
        return new FocusStats(method, "text", new int[] {1, bins}, toFloat(grid), entropy(grid), 0.5, centre, null,
                Map.of(), 0, List.of(), top, watch, byToken);
    }

    /** Shannon entropy of a distribution, divided by log(cells): 0 all in one cell, 1 uniform. */
    public static double entropy(double[] p) {
        double h = 0;
        for (double v : p) {
            if (v > 0) {
                h -= v * Math.log(v);
            }
        }
        return p.length <= 1 ? 0 : h / Math.log(p.length);
    }

    static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}

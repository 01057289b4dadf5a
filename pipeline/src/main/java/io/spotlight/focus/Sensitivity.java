package io.spotlight.focus;

import io.spotlight.events.DriftFigures;
import io.spotlight.events.FocusReference;
import io.spotlight.events.FocusStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How many explanations a window needs for the alerts to tell a given shift from noise: every
 * reference explanation has a fraction of its mass moved into a target (a region of the image, a
 * new token), windows of each candidate size are drawn from those shifted explanations, and the
 * share of them beyond the statistic's null quantile for that size is the per-window power. The
 * answer is the smallest size whose power reaches the goal. Seeded: the same reference gives the
 * same report.
 */
public final class Sensitivity {

    /** Where mass moves to: a focus whose statistics every shifted explanation is mixed with. */
    public record Target(String name, FocusStats focus) {}

    /** The fewest explanations per window (null: more than the largest size tried) at which a statistic catches a shift with the goal power. */
    public record Row(String target, double fraction, WindowStatistic statistic, Integer explanations, double powerAtLargest) {}

    public static final int[] SIZES = {5, 10, 15, 20, 30, 40, 50, 75, 100, 150, 200, 300};
    static final int TRIALS = 400;

    private Sensitivity() {}

    /** One row per target, fraction and statistic. */
    public static List<Row> of(FocusReference reference, List<Target> targets, double[] fractions, List<WindowStatistic> statistics,
                               double quantile, double power, NullCache nulls) {
        List<Row> rows = new ArrayList<>();
        for (Target t : targets) {
            for (double f : fractions) {
                List<FocusStats> shifted = reference.sample().stream().map(s -> mix(s, t.focus(), f)).toList();
                Map<WindowStatistic, Integer> needed = new LinkedHashMap<>();
                Map<WindowStatistic, Double> last = new HashMap<>();
                for (int n : SIZES) {
                    Map<WindowStatistic, Double> p = power(reference, shifted, n, statistics, quantile, nulls);
                    for (WindowStatistic s : statistics) {
                        last.put(s, p.get(s));
                        if (p.get(s) >= power) {
                            needed.putIfAbsent(s, n);
                        }
                    }
                    if (needed.size() == statistics.size()) {
                        break;
                    }
                }
                for (WindowStatistic s : statistics) {
                    rows.add(new Row(t.name(), f, s, needed.get(s), last.get(s)));
                }
            }
        }
        return rows;
    }

    /** The share of windows of n shifted explanations beyond each statistic's null quantile for n. */
    static Map<WindowStatistic, Double> power(FocusReference reference, List<FocusStats> shifted, int n, List<WindowStatistic> statistics,
                                              double quantile, NullCache nulls) {
        NullDistribution nul = nulls.of(reference, n);
        SplittableRandom random = new SplittableRandom(reference.id().hashCode() * 31L + n);
        Map<WindowStatistic, Double> out = new LinkedHashMap<>();
        statistics.forEach(s -> out.put(s, 0.0));
        for (int t = 0; t < TRIALS; t++) {
            List<FocusStats> w = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                w.add(shifted.get(random.nextInt(shifted.size())));
            }
            DriftFigures f = FocusWindow.of(w).compareWith(reference);
            for (WindowStatistic s : statistics) {
                Double v = s.of(f);
                if (v != null && v > nul.quantile(s, quantile)) {
                    out.merge(s, 1.0 / TRIALS, Double::sum);
                }
            }
        }
        return out;
    }

    /** An explanation with a fraction f of its mass moved into the target's focus (means and masses mix linearly). */
    static FocusStats mix(FocusStats s, FocusStats target, double f) {
        float[] grid = new float[s.grid().length];
        double[] g = new double[grid.length];
        for (int i = 0; i < grid.length; i++) {
            g[i] = (1 - f) * s.grid()[i] + f * target.grid()[i];
            grid[i] = (float) g[i];
        }
        Map<String, Double> forbidden = new LinkedHashMap<>();
        if (s.forbiddenMass() != null) {
            s.forbiddenMass().forEach((k, v) -> forbidden.put(k, (1 - f) * v + f * target.forbiddenMass().getOrDefault(k, 0.0)));
        }
        Map<String, Double> tokens = null;
        if (s.tokenMass() != null) {
            tokens = new HashMap<>();
            Map<String, Double> t = tokens;
            s.tokenMass().forEach((k, v) -> t.merge(k, (1 - f) * v, Double::sum));
            target.tokenMass().forEach((k, v) -> t.merge(k, f * v, Double::sum));
        }
        return new FocusStats(s.method(), s.kind(), s.gridShape(), grid, FocusCalculator.entropy(g),
                (1 - f) * s.centreY() + f * target.centreY(), (1 - f) * s.centreX() + f * target.centreX(), null, forbidden,
                (1 - f) * s.forbiddenTotal() + f * target.forbiddenTotal(), null, null,
                s.watchMass() == null ? null : (1 - f) * s.watchMass() + f * (target.watchMass() == null ? 0 : target.watchMass()), tokens);
    }

    /**
     * The default targets of a model: each forbidden region, or, for a card that names none, the four
     * corners (a fifth of the image each); for text, a new watch-listed token and a new plain one.
     */
    public static List<Target> targets(FocusSettings settings, String method, boolean text, int h, int w) {
        List<Target> out = new ArrayList<>();
        if (text) {
            for (String token : List.of("@someone", "newword")) {
                out.add(new Target("token '" + token + "'" + (settings.watched(token) ? " (watched)" : ""),
                        FocusCalculator.text(method, new float[] {0, 1, 0}, List.of("[CLS]", token, "[SEP]"), settings)));
            }
            return out;
        }
        List<Region> regions = new ArrayList<>(settings.forbidden());
        if (regions.isEmpty()) {
            regions.add(Region.box("top-left corner", 0, 0, 0.2, 0.2));
            regions.add(Region.box("top-right corner", 0, 0.8, 0.2, 1));
            regions.add(Region.box("bottom-left corner", 0.8, 0, 1, 0.2));
            regions.add(Region.box("bottom-right corner", 0.8, 0.8, 1, 1));
        }
        for (Region r : regions) {
            float[] map = new float[h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    map[y * w + x] = r.contains((y + 0.5) / h, (x + 0.5) / w) ? 1 : 0;
                }
            }
            out.add(new Target("region '" + r.name() + "'", FocusCalculator.image(method, map, h, w, settings)));
        }
        return out;
    }
}

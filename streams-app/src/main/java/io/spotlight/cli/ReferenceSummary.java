package io.spotlight.cli;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.events.FocusReference;
import io.spotlight.events.FocusStats;
import io.spotlight.events.ReferenceFile;
import io.spotlight.focus.AlertRule;
import io.spotlight.focus.AlertState;
import io.spotlight.focus.DriftSettings;
import io.spotlight.focus.FocusSettings;
import io.spotlight.focus.FocusWindow;
import io.spotlight.focus.NullCache;
import io.spotlight.focus.NullDistribution;
import io.spotlight.focus.Sensitivity;
import io.spotlight.focus.WindowStatistic;
import io.spotlight.model.LoadedModel;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** What a reference says, for people: where the focus is, the null quantiles by window size, and what shifts the alerts can see. */
final class ReferenceSummary {

    static final int[] SIZES = {10, 20, 50, 100, 200};
    static final double[] SHIFTS = {0.05, 0.1, 0.2};
    static final double POWER = 0.9;

    private ReferenceSummary() {}

    static void print(ReferenceFile file, LoadedModel model, SpotlightConfig config, PrintStream out) {
        FocusReference all = file.classes().get(ReferenceFile.ALL);
        DriftSettings drift = DriftSettings.of(config);
        double q = drift.quantile(model.card().id());
        boolean text = model.card().input().isText();
        out.printf(Locale.ROOT, "reference %s (%s): %d explanations, %d kept for resampling; entropy %.3f%n", all.id(), all.method(), all.count(),
                all.hasSample() ? all.sample().size() : 0, all.entropy());
        if (text) {
            out.println("  top tokens: " + String.join(", ", all.topTokens()));
            out.printf(Locale.ROOT, "  mass on watch-listed tokens: %.3f%n", all.watch());
        } else {
            out.println("  top regions (grid cells of the mean map, rows and columns as fractions of the image):");
            int cols = (int) Math.round(Math.sqrt(all.grid().length));
            List<Integer> cells = new ArrayList<>();
            for (int i = 0; i < all.grid().length; i++) {
                cells.add(i);
            }
            cells.sort(Comparator.comparingDouble((Integer i) -> all.grid()[i]).reversed());
            for (int i : cells.subList(0, Math.min(5, cells.size()))) {
                int r = i / cols;
                int c = i % cols;
                out.printf(Locale.ROOT, "    [%.2f, %.2f, %.2f, %.2f]  %5.1f %%%n", (double) r / cols, (double) c / cols, (double) (r + 1) / cols,
                        (double) (c + 1) / cols, 100 * all.grid()[i]);
            }
            if (all.hasSample()) {
                Map<String, Double> regions = new TreeMap<>();
                for (FocusStats s : all.sample()) {
                    if (s.expectedMass() != null) {
                        regions.merge("expected '" + FocusSettings.of(model.card()).expected().name() + "'", s.expectedMass() / all.sample().size(), Double::sum);
                    }
                    s.forbiddenMass().forEach((k, v) -> regions.merge("forbidden '" + k + "'", v / all.sample().size(), Double::sum));
                }
                regions.forEach((k, v) -> out.printf(Locale.ROOT, "  mean mass in %s: %.3f%n", k, v));
            }
        }
        if (!all.hasSample()) {
            out.println("  (no sample of explanations: no null distributions)");
            return;
        }
        NullCache nulls = new NullCache(drift.resamples(), 64);
        List<WindowStatistic> statistics = new ArrayList<>();
        NullDistribution first = nulls.of(all, SIZES[0]);
        for (WindowStatistic s : WindowStatistic.values()) {
            if (!Double.isNaN(first.quantile(s, q))) {
                statistics.add(s);
            }
        }
        out.printf(Locale.ROOT, "  null %s quantiles (the alert thresholds) by explanations per window:%n", percent(q));
        out.printf(Locale.ROOT, "    %-24s%s%n", "statistic", sizes(SIZES));
        for (WindowStatistic s : statistics) {
            StringBuilder line = new StringBuilder();
            for (int n : SIZES) {
                line.append(String.format(Locale.ROOT, "%10.4f", nulls.of(all, n).quantile(s, q)));
            }
            out.printf(Locale.ROOT, "    %-24s%s%n", s.id(), line);
        }
        printSensitivity(all, model, drift, q, nulls, out);
    }

    /** The calibration report: explanations per window for the alert statistics to catch a shift of a fraction of the mass with 90 % power. */
    static void printSensitivity(FocusReference all, LoadedModel model, DriftSettings drift, double q, NullCache nulls, PrintStream out) {
        boolean text = model.card().input().isText();
        List<Integer> shape = model.card().input().shape();
        FocusSettings settings = FocusSettings.of(model.card());
        List<WindowStatistic> statistics = new ArrayList<>(List.of(WindowStatistic.JS_DIVERGENCE));
        statistics.add(text ? WindowStatistic.WATCH_MASS : WindowStatistic.FORBIDDEN_MASS);
        List<Sensitivity.Target> targets = Sensitivity.targets(settings, all.method(), text, text ? 1 : shape.get(shape.size() - 2),
                text ? 1 : shape.get(shape.size() - 1));
        out.printf(Locale.ROOT, "  explanations per window the alerts need to catch a shift (%.0f %% of windows beyond the null's %s quantile; "
                + "an alert needs %d such windows in a row):%n", 100 * POWER, percent(q), drift.alertWindows());
        out.printf(Locale.ROOT, "    %-40s%-10s%s%n", "mass moved to", "share", String.join("", statistics.stream().map(s -> String.format(Locale.ROOT, "%16s", s.id())).toList()));
        List<Sensitivity.Row> rows = Sensitivity.of(all, targets, SHIFTS, statistics, q, POWER, nulls);
        for (int i = 0; i < rows.size(); i += statistics.size()) {
            StringBuilder line = new StringBuilder();
            for (int j = 0; j < statistics.size(); j++) {
                Sensitivity.Row r = rows.get(i + j);
                line.append(String.format(Locale.ROOT, "%16s", r.explanations() == null ? "> " + Sensitivity.SIZES[Sensitivity.SIZES.length - 1] : r.explanations()));
            }
            out.printf(Locale.ROOT, "    %-40s%-10s%s%n", rows.get(i).target(), String.format(Locale.ROOT, "%.0f %%", 100 * rows.get(i).fraction()), line);
        }
    }

    /**
     * Windows of consecutive explanations judged against a reference as the drift stage does: how many were beyond each rule's
     * threshold, and how many alerts (that many windows in a row) the rules would have raised.
     */
    static void judge(ReferenceFile file, List<FocusStats> explained, int size, LoadedModel model, SpotlightConfig config, PrintStream out) {
        DriftSettings drift = DriftSettings.of(config);
        double q = drift.quantile(model.card().id());
        FocusReference reference = file.classes().get(ReferenceFile.ALL);
        NullCache nulls = new NullCache(drift.resamples(), 4);
        List<AlertRule> rules = drift.rules(model.card());
        Map<String, Integer> over = new TreeMap<>();
        Map<String, Integer> alerts = new TreeMap<>();
        Map<String, AlertState> state = new TreeMap<>();
        int windows = 0;
        for (int i = 0; i + size <= explained.size(); i += size) {
            windows++;
            var figures = FocusWindow.of(explained.subList(i, i + size)).compareWith(reference)
                    .withLimits(q, nulls.of(reference, size).limits(q));
            for (var rule : rules) {
                var threshold = rule.threshold(figures);
                boolean beyond = threshold != null && rule.value(figures) > threshold.value();
                over.merge(rule.name(), beyond ? 1 : 0, Integer::sum);
                var step = state.getOrDefault(rule.name(), AlertState.CLEAR).after(beyond, rule.windows(), i);
                state.put(rule.name(), step.next());
                alerts.merge(rule.name(), "firing".equals(step.change()) ? 1 : 0, Integer::sum);
            }
        }
        out.printf(Locale.ROOT, "judged against %s (%s): %d windows of %d explanations, null %s quantiles%n", reference.id(), file.source(), windows, size, percent(q));
        for (var rule : rules) {
            out.printf(Locale.ROOT, "  %-16s windows beyond the threshold %4d (%.2f %%), alerts raised %d%n", rule.name(), over.get(rule.name()),
                    windows == 0 ? 0 : 100.0 * over.get(rule.name()) / windows, alerts.get(rule.name()));
        }
    }

    private static String sizes(int[] sizes) {
        StringBuilder b = new StringBuilder();
        for (int n : sizes) {
            b.append(String.format(Locale.ROOT, "%10d", n));
        }
        return b.toString();
    }

    static String percent(double q) {
        return new BigDecimal(Double.toString(q * 100)).stripTrailingZeros().toPlainString() + " %";
    }
}

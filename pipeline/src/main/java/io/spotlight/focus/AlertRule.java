package io.spotlight.focus;

import io.spotlight.events.DriftFigures;
import java.util.List;

/**
 * A suspicious-focus condition: a window statistic beyond its threshold for {@code windows}
 * consecutive windows raises the alert; the first window back under resolves it. The threshold
 * is the statistic's null-distribution quantile for the window's size, unless {@code fixed}
 * overrides it.
 */
public record AlertRule(String name, WindowStatistic statistic, String severity, int windows, Double fixed) {

    /** The threshold in force for a window, and where it came from ("null-quantile" or "fixed"); null when there is none. */
    public record Threshold(double value, String source) {}

    public Double value(DriftFigures f) {
        return statistic.of(f);
    }

    public Threshold threshold(DriftFigures f) {
        if (fixed != null) {
            return new Threshold(fixed, "fixed");
        }
        DriftFigures.Limits l = f.limits() == null ? null : f.limits().get(statistic.id());
        return l == null ? null : new Threshold(l.high(), "null-quantile");
    }

    public boolean applies(boolean text) {
        return statistic.applies(text);
    }

    /** The default rules with these fixed thresholds (null: from the data) and window count. */
    public static List<AlertRule> defaults(Double js, Double forbidden, Double watch, int windows) {
        return List.of(
                new AlertRule("attention-drift", WindowStatistic.JS_DIVERGENCE, "warning", windows, js),
                new AlertRule("forbidden-focus", WindowStatistic.FORBIDDEN_MASS, "critical", windows, forbidden),
                new AlertRule("watched-tokens", WindowStatistic.WATCH_MASS, "critical", windows, watch),
                // The explanations themselves: their maps no longer beat a random order as the reference's did.
                new AlertRule("untrustworthy-explanations", WindowStatistic.FAITHFULNESS_DROP, "warning", windows, null));
    }
}

package io.spotlight.focus;

import io.spotlight.events.DriftFigures;
import io.spotlight.events.Identified;
import java.util.List;

/**
 * A suspicious-focus condition: a drift figure over its threshold for {@code windows} consecutive
 * windows raises the alert; the first window back under resolves it.
 */
public record AlertRule(String name, Figure figure, double threshold, int windows, String severity) {

    /** The figures a rule can watch. */
    public enum Figure implements Identified {
        JS_DIVERGENCE, FORBIDDEN_MASS, WATCH_MASS;

        double of(DriftFigures f) {
            return switch (this) {
                case JS_DIVERGENCE -> f.jsDivergence();
                case FORBIDDEN_MASS -> f.forbiddenMass();
                case WATCH_MASS -> f.watchMass();
            };
        }
    }

    public double value(DriftFigures f) {
        return figure.of(f);
    }

    public boolean applies(boolean text) {
        return figure == Figure.JS_DIVERGENCE || (figure == Figure.WATCH_MASS) == text;
    }

    /** The default rules with the given thresholds and window count. */
    public static List<AlertRule> defaults(double js, double forbidden, double watch, int windows) {
        return List.of(
                new AlertRule("attention-drift", Figure.JS_DIVERGENCE, js, windows, "warning"),
                new AlertRule("forbidden-focus", Figure.FORBIDDEN_MASS, forbidden, windows, "critical"),
                new AlertRule("watched-tokens", Figure.WATCH_MASS, watch, windows, "critical"));
    }
}

package io.spotlight.focus;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.model.ModelCard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Windows, references and alert rules. A rule's threshold is, by default, the quantile
 * alerts.quantile (alerts.&lt;model&gt;.quantile for one model) of its statistic's null distribution
 * for the window's size; a fixed threshold overrides it where one is set: in the model card's
 * focus.thresholds, then alerts.&lt;figure&gt;-threshold for every model, then
 * alerts.&lt;model&gt;.&lt;figure&gt;-threshold for one.
 */
public record DriftSettings(Duration window, Duration grace, int referenceWindows, int windowSample, int referenceSample,
                            int alertWindows, int minExplanations, double quantile, int resamples, SpotlightConfig config) {

    public static DriftSettings of(SpotlightConfig c) {
        DriftSettings s = new DriftSettings(Duration.ofMillis(c.longValue("drift.window-ms")), Duration.ofMillis(c.longValue("drift.grace-ms")),
                c.integer("drift.reference-windows"), c.integer("drift.window-sample"), c.integer("drift.reference-sample"),
                c.integer("alerts.windows"), c.integer("alerts.min-explanations"), c.real("alerts.quantile"), c.integer("alerts.resamples"), c);
        requireQuantile("alerts.quantile", s.quantile);
        if (s.resamples < 100) {
            throw new IllegalArgumentException("alerts.resamples must be at least 100, got " + s.resamples);
        }
        return s;
    }

    private static void requireQuantile(String key, double q) {
        if (!(q > 0.5 && q < 1)) {
            throw new IllegalArgumentException(key + " must be a quantile between 0.5 and 1 (e.g. 0.999), got " + q);
        }
    }

    /** The quantile a model's windows are judged at. */
    public double quantile(String model) {
        double q = config.real("alerts." + model + ".quantile", quantile);
        requireQuantile("alerts." + model + ".quantile", q);
        return q;
    }

    /** The rules for one model, with any fixed thresholds its card or the configuration set. */
    public List<AlertRule> rules(ModelCard card) {
        Map<String, Double> fromCard = card.focus() == null || card.focus().thresholds() == null ? Map.of() : card.focus().thresholds();
        List<AlertRule> out = new ArrayList<>();
        for (AlertRule r : AlertRule.defaults(null, null, null, alertWindows)) {
            if (!r.applies(card.input().isText()) || !watches(card, r.statistic())) {
                continue;
            }
            String figure = r.statistic().id();
            Double fixed = fromCard.get(figure.replace('-', '_'));
            fixed = optional("alerts." + figure + "-threshold", fixed);
            fixed = optional("alerts." + card.id() + "." + figure + "-threshold", fixed);
            out.add(new AlertRule(r.name(), r.statistic(), r.severity(), config.integer("alerts." + card.id() + ".windows", alertWindows), fixed));
        }
        return out;
    }

    /** A forbidden-region rule needs forbidden regions in the card, a watched-token rule a watch list. */
    private static boolean watches(ModelCard card, WindowStatistic statistic) {
        var f = card.focus();
        return switch (statistic) {
            case FORBIDDEN_MASS -> f != null && f.forbidden() != null && !f.forbidden().isEmpty();
            case WATCH_MASS -> f != null && f.watch() != null
                    && !((f.watch().tokens() == null || f.watch().tokens().isEmpty()) && (f.watch().patterns() == null || f.watch().patterns().isEmpty()));
            default -> true;
        };
    }

    private Double optional(String key, Double fallback) {
        String v = config.asMap().get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        return config.real(key);
    }
}

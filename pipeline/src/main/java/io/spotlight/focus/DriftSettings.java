package io.spotlight.focus;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.model.ModelCard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Windows and alert rules. Thresholds come from the defaults, then the model card's
 * focus.thresholds, then configuration (alerts.&lt;figure&gt;-threshold for every model,
 * alerts.&lt;model&gt;.&lt;figure&gt;-threshold for one).
 */
public record DriftSettings(Duration window, Duration grace, int referenceWindows, int alertWindows, int minExplanations,
                            double jsThreshold, double forbiddenThreshold, double watchThreshold, SpotlightConfig config) {

    public static DriftSettings of(SpotlightConfig c) {
        return new DriftSettings(Duration.ofMillis(c.longValue("drift.window-ms")), Duration.ofMillis(c.longValue("drift.grace-ms")),
                c.integer("drift.reference-windows"), c.integer("alerts.windows"), c.integer("alerts.min-explanations"),
                c.real("alerts.js-divergence-threshold"), c.real("alerts.forbidden-mass-threshold"), c.real("alerts.watch-mass-threshold"), c);
    }

    /** The rules for one model, its card's thresholds and per-model configuration applied. */
    public List<AlertRule> rules(ModelCard card) {
        Map<String, Double> fromCard = card.focus() == null || card.focus().thresholds() == null ? Map.of() : card.focus().thresholds();
        List<AlertRule> out = new ArrayList<>();
        for (AlertRule r : AlertRule.defaults(jsThreshold, forbiddenThreshold, watchThreshold, alertWindows)) {
            if (!r.applies(card.input().isText())) {
                continue;
            }
            String figure = r.figure().id();
            double t = fromCard.getOrDefault(figure.replace('-', '_'), r.threshold());
            t = config.real("alerts." + card.id() + "." + figure + "-threshold", t);
            out.add(new AlertRule(r.name(), r.figure(), t, config.integer("alerts." + card.id() + ".windows", alertWindows), r.severity()));
        }
        return out;
    }
}

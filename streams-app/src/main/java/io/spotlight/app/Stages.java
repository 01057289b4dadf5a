package io.spotlight.app;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.explanation.ExplanationService;
import io.spotlight.focus.DriftSettings;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.model.ModelRegistry;
import io.spotlight.sampling.SamplingPolicy;
import io.spotlight.topology.SpotlightTopology;
import io.spotlight.validation.PredictionValidator;
import java.time.Clock;
import java.time.Duration;

/** Builds the topology's stages from configuration. */
public final class Stages {

    private Stages() {}

    public static SpotlightTopology.Stages of(SpotlightConfig c, ModelRegistry registry, SpotlightMetrics metrics, Clock clock) {
        return new SpotlightTopology.Stages(PredictionValidator.of(c, registry), SamplingPolicy.of(c), c.real("sampling.budget-per-second"), c.real("sampling.budget-burst"),
                ExplanationService.of(c, registry, clock), c.integer("explain.batch-size"), Duration.ofMillis(c.longValue("explain.linger-ms")),
                DriftSettings.of(c), Duration.ofMillis(c.longValue("labels.join-window-ms")), registry, metrics, c.get("application.id"), clock);
    }
}

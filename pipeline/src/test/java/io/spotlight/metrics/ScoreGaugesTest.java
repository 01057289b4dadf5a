package io.spotlight.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spotlight.events.Agreement;
import io.spotlight.events.EncodedMap;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.ExplanationEvent.MethodResult;
import io.spotlight.events.Faithfulness;
import io.spotlight.events.ModelRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The faithfulness and agreement gauges: the recent mean gain per model version, method and score, and agreement quantiles. */
class ScoreGaugesTest {

    static Faithfulness.Curve curve(double auc, double randomAuc, double gain) {
        return new Faithfulness.Curve(Map.of(), 784, new double[] {0, 1}, new double[] {1, 0}, new double[] {1, 0}, auc, randomAuc, gain);
    }

    static ExplanationEvent event(double deletionGain, Double spearman) {
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        MethodResult ig = new MethodResult("integrated-gradients", Map.of(), EncodedMap.of(new float[] {1}, 1), null, Map.of(), 1,
                new Faithfulness(curve(0.3, 0.3 + deletionGain, deletionGain), curve(0.6, 0.5, 0.1), 2.5));
        MethodResult rollout = new MethodResult("attention-rollout", Map.of(), EncodedMap.of(new float[] {1}, 1), null, Map.of(), 1);
        return new ExplanationEvent("e", "p", new ModelRef("fashion-vit", "1"), t, t, null, null, null, List.of(ig, rollout), null,
                spearman == null ? null : List.of(new Agreement("attention-rollout", "integrated-gradients", spearman, 0.4, 5, 16)), Map.of(), null, "d");
    }

    @Test
    void gaugesShowTheRecentMeanGainAndTheAgreementsQuantiles() {
        PrometheusMeterRegistry registry = SpotlightMetrics.prometheus();
        SpotlightMetrics metrics = new SpotlightMetrics(registry);
        for (int i = 0; i <= 10; i++) {
            metrics.scores(event(0.01 * i, -0.5 + 0.1 * i));
        }
        var gain = registry.find("spotlight.faithfulness.gain").tags("model", "fashion-vit", "version", "1", "method", "integrated-gradients",
                "score", "deletion").gauge();
        assertThat(gain.value()).as("mean of 0.00 .. 0.10").isCloseTo(0.05, within(1e-12));
        assertThat(registry.find("spotlight.faithfulness.auc").tags("method", "integrated-gradients", "score", "insertion", "order", "random")
                .gauge().value()).isCloseTo(0.5, within(1e-12));
        assertThat(registry.find("spotlight.faithfulness.scored").tags("method", "attention-rollout").counters()).as("not scored").isEmpty();
        assertThat(registry.find("spotlight.faithfulness.scored").tags("method", "integrated-gradients").counter().count()).isEqualTo(11);
        // Spearman -0.5 .. 0.5 in steps of 0.1: the median 0.0, the 10th percentile -0.4 (numpy's interpolation).
        assertThat(registry.find("spotlight.agreement.spearman").tags("quantile", "0.5").gauge().value()).isCloseTo(0.0, within(1e-12));
        assertThat(registry.find("spotlight.agreement.spearman").tags("quantile", "0.1").gauge().value()).isCloseTo(-0.4, within(1e-12));
        assertThat(registry.find("spotlight.agreement.top.k.overlap").tags("quantile", "0.9").gauge().value()).isCloseTo(0.4, within(1e-12));
        assertThat(registry.scrape()).contains("spotlight_faithfulness_gain{method=\"integrated-gradients\",model=\"fashion-vit\",score=\"deletion\",version=\"1\"}")
                .contains("spotlight_faithfulness_time_seconds_count{model=\"fashion-vit\"");
        // Only the last 100 count.
        for (int i = 0; i < 100; i++) {
            metrics.scores(event(1.0, null));
        }
        assertThat(gain.value()).isEqualTo(1.0);
    }
}

package io.spotlight.focus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spotlight.events.Agreement;
import io.spotlight.events.EncodedMap;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.ExplanationEvent.MethodResult;
import io.spotlight.events.Faithfulness;
import io.spotlight.events.ModelRef;
import io.spotlight.events.WindowScores;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A window's score means: per method over its scored maps only, per attention-gradient pair over the records with both. */
class ScoreWindowTest {

    static Faithfulness.Curve curve(double auc, double gain) {
        return new Faithfulness.Curve(Map.of(), 16, new double[] {0, 1}, new double[] {1, 0}, new double[] {1, 0}, auc, auc + gain, gain);
    }

    static ExplanationEvent event(Double deletionGain, Double spearman, double overlap) {
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        EncodedMap map = EncodedMap.of(new float[] {1}, 1);
        MethodResult ig = deletionGain == null ? new MethodResult("integrated-gradients", Map.of(), map, null, Map.of(), 1)
                : new MethodResult("integrated-gradients", Map.of(), map, null, Map.of(), 1,
                        new Faithfulness(curve(0.2, deletionGain), curve(0.7, 2 * deletionGain), 1));
        return new ExplanationEvent("e", "p", new ModelRef("fashion-vit", "1"), t, t, null, null, null,
                List.of(ig, new MethodResult("attention-rollout", Map.of(), map, null, Map.of(), 1)), null,
                List.of(new Agreement("attention-rollout", "integrated-gradients", spearman, overlap, 5, 16)), Map.of(), null, "d");
    }

    @Test
    void meansOverTheScoredMapsAndTheDefinedCorrelations() {
        ScoreWindow w = ScoreWindow.empty().add(event(0.1, 0.5, 0.4)).add(event(null, null, 0.2));
        ScoreWindow other = ScoreWindow.empty().add(event(0.3, 0.1, 0.6));
        WindowScores f = w.merge(other).figures();
        assertThat(f.faithfulness()).singleElement().satisfies(m -> {
            assertThat(m.method()).isEqualTo("integrated-gradients");
            assertThat(m.scored()).isEqualTo(2);
            assertThat(m.deletionGain()).isCloseTo(0.2, within(1e-12));
            assertThat(m.insertionGain()).isCloseTo(0.4, within(1e-12));
            assertThat(m.deletionAuc()).isCloseTo(0.2, within(1e-12));
        });
        assertThat(f.agreement()).singleElement().satisfies(a -> {
            assertThat(a.count()).isEqualTo(3);
            assertThat(a.spearman()).as("over the two defined").isCloseTo(0.3, within(1e-12));
            assertThat(a.topKOverlap()).isCloseTo(0.4, within(1e-12));
        });
        assertThat(w.figures().faithfulness().get(0).scored()).as("merge leaves its inputs as they were").isEqualTo(1);
        assertThat(ScoreWindow.empty().figures()).isNull();
    }
}

package io.spotlight.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spotlight.events.Input;
import io.spotlight.events.ModelRef;
import io.spotlight.events.Prediction;
import io.spotlight.events.PredictionEvent;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class SamplingPolicyTest {

    static PredictionEvent event(String id, List<String> flags, double... probabilities) {
        return new PredictionEvent(id, new ModelRef("m", "1"), Instant.EPOCH, new Input.Text("x"),
                new Prediction(0, null, probabilities, null), flags, null);
    }

    final SamplingPolicy policy = new SamplingPolicy(0.6, 0.1, null, 0.0, 0);

    @Test
    void lowConfidenceAndSmallMarginAreBothReasonsInPriorityOrder() {
        SamplingDecision d = policy.decide(event("a", List.of(), 0.45, 0.40, 0.15));
        assertThat(d.sampled()).isTrue();
        assertThat(d.reasons()).containsExactly(SamplingReason.LOW_CONFIDENCE, SamplingReason.SMALL_MARGIN);
        assertThat(d.reason()).isEqualTo(SamplingReason.LOW_CONFIDENCE);
        assertThat(d.top1()).isEqualTo(0.45);
        assertThat(d.margin()).isEqualTo(0.05, Offset.offset(1e-12));
    }

    @Test
    void aSmallMarginAloneIsEnough() {
        assertThat(policy.decide(event("b", List.of(), 0.50, 0.02, 0.48)).reasons()).containsExactly(
                SamplingReason.LOW_CONFIDENCE, SamplingReason.SMALL_MARGIN);
        assertThat(new SamplingPolicy(0.3, 0.1, null, 0, 0).decide(event("b", List.of(), 0.50, 0.02, 0.48)).reasons())
                .containsExactly(SamplingReason.SMALL_MARGIN);
    }

    @Test
    void flagsComeFirstAndCanBeRestricted() {
        assertThat(policy.decide(event("c", List.of("user-report"), 0.95, 0.05)).reasons()).containsExactly(SamplingReason.FLAGGED);
        SamplingPolicy only = new SamplingPolicy(0.6, 0.1, Set.of("audit"), 0, 0);
        assertThat(only.decide(event("c", List.of("user-report"), 0.95, 0.05)).sampled()).isFalse();
        assertThat(only.decide(event("c", List.of("audit"), 0.95, 0.05)).reason()).isEqualTo(SamplingReason.FLAGGED);
        SamplingPolicy none = new SamplingPolicy(0.6, 0.1, SamplingPolicy.parseFlags(""), 0, 0);
        assertThat(none.decide(event("c", List.of("audit"), 0.95, 0.05)).skipped()).isEqualTo("confident");
    }

    @Test
    void topKAloneIsEnoughToDecide() {
        var e = new PredictionEvent("d", new ModelRef("m", "1"), Instant.EPOCH, new Input.Text("x"),
                new Prediction(3, null, null, List.of(new Prediction.ClassProbability(1, null, 0.30), new Prediction.ClassProbability(3, null, 0.55))),
                null, null);
        SamplingDecision d = policy.decide(e);
        assertThat(d.top1()).isEqualTo(0.55);
        assertThat(d.margin()).isEqualTo(0.25, Offset.offset(1e-12));
        assertThat(d.reasons()).containsExactly(SamplingReason.LOW_CONFIDENCE);
    }

    @Test
    void theBaselineDrawIsSeededByIdAndHitsItsRate() {
        SamplingPolicy baseline = new SamplingPolicy(0.6, 0.1, null, 0.1, 42);
        int hits = 0;
        for (int i = 0; i < 20_000; i++) {
            SamplingDecision d = baseline.decide(event("pred-" + i, List.of(), 0.97, 0.03));
            if (d.sampled()) {
                hits++;
                assertThat(d.reasons()).containsExactly(SamplingReason.BASELINE);
            }
            assertThat(baseline.decide(event("pred-" + i, List.of(), 0.97, 0.03)).sampled()).as("same id, same decision").isEqualTo(d.sampled());
        }
        assertThat(hits / 20_000.0).isBetween(0.09, 0.11);
        assertThat(new SamplingPolicy(0.6, 0.1, null, 0.1, 43).draw("pred-1")).isNotEqualTo(baseline.draw("pred-1"));
    }

    @Test
    void aRateOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new SamplingPolicy(0.6, 0.1, null, 1.5, 0)).hasMessageContaining("baseline-rate");
    }
}

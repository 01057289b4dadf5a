package io.spotlight.explanation;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.containment.RecordLimits;
import io.spotlight.events.ModelRef;
import io.spotlight.model.ModelRegistry;
import io.spotlight.testing.Models;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each model's drift windows follow one method: the preferred one of its baseline plan. */
class DriftMethodTest {

    final ModelRegistry registry = new ModelRegistry(List.of(Models.shippedModel("fashion-cnn"), Models.shippedModel("fashion-vit"),
            Models.shippedModel("review-sentiment")));

    @Test
    void theShippedCardsFollowTheirBaselineMethod() {
        ExplanationService service = ExplanationService.of(SpotlightConfig.defaults(), registry, Clock.systemUTC(), RecordLimits.KAFKA_DEFAULT.maxValueBytes(null));
        assertThat(service.driftMethod(new ModelRef("fashion-cnn", "1"))).hasValue("grad-cam");
        assertThat(service.driftMethod(new ModelRef("fashion-vit", "1"))).hasValue("attention-rollout");
        assertThat(service.driftMethod(new ModelRef("review-sentiment", "1"))).hasValue("attention");
        assertThat(service.driftMethod(new ModelRef("fashion-cnn", "0-retired"))).isEmpty();
    }

    @Test
    void theFocusPreferenceDecidesAmongTheBaselinePlansMethods() {
        SpotlightConfig config = SpotlightConfig.defaults().with(Map.of("explain.plan.fashion-cnn.baseline", "grad-cam-plus-plus,grad-cam",
                "focus.methods", "grad-cam-plus-plus,grad-cam"));
        ExplanationService service = ExplanationService.of(config, registry, Clock.systemUTC(), RecordLimits.KAFKA_DEFAULT.maxValueBytes(null));
        assertThat(service.driftMethod(new ModelRef("fashion-cnn", "1"))).hasValue("grad-cam-plus-plus");
    }
}

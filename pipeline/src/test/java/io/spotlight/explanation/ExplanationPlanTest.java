package io.spotlight.explanation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spotlight.attribution.Method;
import io.spotlight.attribution.MethodCall;
import io.spotlight.model.ModelCard;
import io.spotlight.sampling.SamplingReason;
import io.spotlight.testing.Models;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExplanationPlanTest {

    final ModelCard cnn = ModelCard.load(Models.shipped("fashion-cnn"));
    final ModelCard text = ModelCard.load(Models.shipped("review-sentiment"));

    @Test
    void theCardsPlanUnlessConfigurationSaysOtherwise() {
        ExplanationPlan plain = new ExplanationPlan(Map.of(), Map.of());
        assertThat(plain.calls(cnn, SamplingReason.LOW_CONFIDENCE)).extracting(MethodCall::method)
                .containsExactly(Method.INTEGRATED_GRADIENTS, Method.GRAD_CAM);
        ExplanationPlan configured = new ExplanationPlan(Map.of("fashion-cnn.low-confidence", "saliency", "default.baseline", "grad-cam-plus-plus"), Map.of());
        assertThat(configured.calls(cnn, SamplingReason.LOW_CONFIDENCE)).extracting(MethodCall::method).containsExactly(Method.SALIENCY);
        assertThat(configured.calls(cnn, SamplingReason.BASELINE)).extracting(MethodCall::method).containsExactly(Method.GRAD_CAM_PLUS_PLUS);
        assertThatThrownBy(() -> new ExplanationPlan(Map.of("fashion-cnn.flagged", "lime"), Map.of()).calls(cnn, SamplingReason.FLAGGED))
                .hasMessageContaining("unknown method 'lime'");
    }

    @Test
    void parametersFromTheCardThenEveryModelThenThisModel() {
        ExplanationPlan plan = new ExplanationPlan(Map.of(), Map.of(
                "layer-integrated-gradients.steps", "64",
                "integrated-gradients.steps", "32",
                "fashion-cnn.integrated-gradients.steps", "16",
                "fashion-cnn.integrated-gradients.baseline", "blur"));
        assertThat(plan.parametersFor(text, Method.LAYER_INTEGRATED_GRADIENTS)).containsEntry("baseline", "pad").containsEntry("steps", "64");
        assertThat(plan.parametersFor(cnn, Method.INTEGRATED_GRADIENTS)).containsEntry("steps", "16").containsEntry("baseline", "blur");
        assertThat(plan.parametersFor(cnn, Method.SALIENCY)).isEmpty();
    }
}

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

    @Test
    void methodSettingsAreCheckedAgainstTheMethodsDeclarations() {
        assertThatThrownBy(() -> new ExplanationPlan(Map.of(), Map.of("integrated-gradients.stepz", "32")))
                .hasMessage("explain.method.integrated-gradients.stepz: integrated-gradients has no parameter stepz; it takes "
                        + "[rule, steps, gap-target, min-steps, max-steps, baseline, blur-kernel, blur-sigma, baseline-file, reduction, chunk, passes]");
        assertThatThrownBy(() -> new ExplanationPlan(Map.of(), Map.of("fashion-cnn.smoothgrad.samples", "many")))
                .hasMessage("explain.method.fashion-cnn.smoothgrad.samples: parameter samples must be an integer, got 'many'");
        assertThatThrownBy(() -> new ExplanationPlan(Map.of(), Map.of("saliency.reduction", "median")))
                .hasMessageStartingWith("explain.method.saliency.reduction: parameter reduction must be one of [abs-max, sum, abs-sum, l2]");
        assertThatThrownBy(() -> new ExplanationPlan(Map.of(), Map.of("attention-rollout.residual", "2")))
                .hasMessage("explain.method.attention-rollout.residual: parameter residual must be in [0, 1], got 2.0");
        assertThatThrownBy(() -> new ExplanationPlan(Map.of(), Map.of("fashion-cnn.lime.samples", "5")))
                .hasMessageStartingWith("explain.method.fashion-cnn.lime.samples: unknown method 'lime'");
        assertThatThrownBy(() -> new ExplanationPlan(Map.of(), Map.of("steps", "5")))
                .hasMessage("explain.method.steps is not explain.method.[<model>.]<method>.<parameter>");
        assertThat(new ExplanationPlan(Map.of(), Map.of("fashion-cnn.integrated-gradients.rule", "Riemann-Left ")).parametersFor(cnn,
                Method.INTEGRATED_GRADIENTS)).containsEntry("rule", "Riemann-Left ");
    }
}

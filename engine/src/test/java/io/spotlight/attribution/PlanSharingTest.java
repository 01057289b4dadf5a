package io.spotlight.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.model.LoadedModel;
import io.spotlight.testing.Models;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A plan of several methods computed from one forward and backward at the records (saliency,
 * gradient x input, Grad-CAM, Grad-CAM++) shares that pass, and every method gets exactly the bits
 * it gets alone: the input gradient carried back through features after the head's backward is
 * the same arithmetic as one backward through forward.
 */
class PlanSharingTest {

    static final Explainer EXPLAINER = new Explainer();

    @ParameterizedTest
    @ValueSource(strings = {"fashion-cnn", "fashion-vit", "review-sentiment"})
    void everyMethodOfASharedPlanGetsTheBitsItGetsAlone(String dir) {
        LoadedModel model = Models.shippedModel(dir);
        List<Subject> subjects = Subject.samples(model, 5);
        List<Method> shared = EXPLAINER.applicable(model).stream()
                .filter(m -> m.implementation() instanceof InputPassMethod).toList();
        assertThat(shared).hasSizeGreaterThanOrEqualTo(2);
        List<List<Attribution>> together = EXPLAINER.explain(model, subjects, shared.stream().map(MethodCall::of).toList());
        for (int c = 0; c < shared.size(); c++) {
            List<List<Attribution>> alone = EXPLAINER.explain(model, subjects, List.of(MethodCall.of(shared.get(c))));
            for (int i = 0; i < subjects.size(); i++) {
                Attribution a = alone.get(i).get(0);
                Attribution t = together.get(i).get(c);
                assertThat(t.method()).isEqualTo(shared.get(c));
                assertThat(t.raw().values()).as("%s %s record %d raw", dir, shared.get(c), i).isEqualTo(a.raw().values());
                assertThat(t.map().values()).as("%s %s record %d map", dir, shared.get(c), i).isEqualTo(a.map().values());
                assertThat(t.parameters()).isEqualTo(a.parameters());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fashion-cnn"})
    void methodsThatDisagreeOnTheirPassesRunApartAndStillGetTheirOwnBits(String dir) {
        LoadedModel model = Models.shippedModel(dir);
        List<Subject> subjects = Subject.samples(model, 3);
        List<MethodCall> calls = List.of(MethodCall.of(Method.SALIENCY), new MethodCall(Method.GRAD_CAM, Map.of("passes", "chunk")),
                MethodCall.of(Method.GRAD_CAM_PLUS_PLUS));
        List<List<Attribution>> together = EXPLAINER.explain(model, subjects, calls);
        for (int c = 0; c < calls.size(); c++) {
            List<List<Attribution>> alone = EXPLAINER.explain(model, subjects, List.of(calls.get(c)));
            for (int i = 0; i < subjects.size(); i++) {
                assertThat(together.get(i).get(c).map().values()).isEqualTo(alone.get(i).get(0).map().values());
                assertThat(together.get(i).get(c).parameters()).isEqualTo(alone.get(i).get(0).parameters());
            }
        }
        assertThat(together.get(0).get(1).parameters()).containsEntry("passes", "64:1");
        assertThat(together.get(0).get(2).parameters()).containsEntry("passes", "2:1");
    }
}

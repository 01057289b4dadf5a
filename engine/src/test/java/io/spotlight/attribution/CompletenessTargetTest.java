package io.spotlight.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.model.LoadedModel;
import io.spotlight.testing.Models;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Integrated gradients with {@code steps=auto}: each record gets the fewest steps of the doubling
 * ladder whose completeness gap |sum(attr) - (F(x) - F(x'))| is within the target of
 * |F(x) - F(x')| (or the most, with its gap recorded), batched across records; the steps and the
 * gap are in its explanation, and the recorded steps and passes give its bits again.
 */
class CompletenessTargetTest {

    static final Explainer EXPLAINER = new Explainer();

    @ParameterizedTest
    @CsvSource({"fashion-cnn, integrated-gradients", "fashion-vit, integrated-gradients", "review-sentiment, layer-integrated-gradients"})
    void everyRecordGetsTheFewestStepsWhoseGapIsWithinTheTarget(String dir, String id) {
        LoadedModel model = Models.shippedModel(dir);
        Method method = Method.of(id);
        List<Subject> subjects = Subject.samples(model, 6);
        Map<String, String> auto = new HashMap<>(cardParameters(model, method));
        auto.putAll(Map.of("steps", "auto", "gap-target", "0.02", "min-steps", "4", "max-steps", "64"));
        List<List<Attribution>> results = EXPLAINER.explain(model, subjects, List.of(new MethodCall(method, auto)));
        for (int i = 0; i < subjects.size(); i++) {
            Attribution a = results.get(i).get(0);
            int steps = ((Number) a.parameters().get("steps-used")).intValue();
            assertThat(steps).isIn(4, 8, 16, 32, 64);
            assertThat(a.parameters()).containsEntry("steps", "auto").containsEntry("gap-target", 0.02);
            double gap = a.summary().get("gap");
            assertThat(gap).isEqualTo(Math.abs(a.summary().get("delta")) / Math.abs(a.summary().get("logit") - a.summary().get("baseline_logit")),
                    Offset.offset(1e-9));
            if (steps < 64) {
                assertThat(gap).as("record %d at %d steps", i, steps).isLessThanOrEqualTo(0.02);
            }
            // The record's bits again from what it recorded: its steps, in passes of its recorded shapes, alone.
            Attribution again = EXPLAINER.explain(model, List.of(subjects.get(i)),
                    List.of(new MethodCall(method, Parameters.toRepeat(method, a.parameters())))).get(0).get(0);
            assertThat(again.raw().values()).as("record %d replayed", i).isEqualTo(a.raw().values());
            assertThat(again.summary()).isEqualTo(a.summary());
            assertThat(again.parameters()).containsEntry("steps", steps).doesNotContainKey("steps-used");
            if (steps > 4) {
                // Fewest: half the steps leave the gap over the target (whatever the passes' last bits).
                Map<String, String> half = new HashMap<>(cardParameters(model, method));
                half.put("steps", Integer.toString(steps / 2));
                Attribution fewer = EXPLAINER.explain(model, List.of(subjects.get(i)), List.of(new MethodCall(method, half))).get(0).get(0);
                assertThat(fewer.summary().get("gap")).as("record %d at %d steps", i, steps / 2).isGreaterThan(0.02 * (1 - 1e-3));
            }
        }
    }

    static Map<String, String> cardParameters(LoadedModel model, Method method) {
        var p = model.card().parameters();
        return p == null || !p.containsKey(method.id()) ? Map.of() : p.get(method.id());
    }
}

package io.spotlight.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelInput;
import io.spotlight.testing.Models;
import io.spotlight.testing.SampleImages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A record's explanation must not depend on which other records shared its batch, or replays
 * (batched differently) could not reproduce published digests bit for bit.
 */
class BatchInvarianceTest {

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"SALIENCY", "SMOOTHGRAD", "INTEGRATED_GRADIENTS", "GRAD_CAM", "GRAD_CAM_PLUS_PLUS"})
    void aRecordGetsTheSameBitsAloneAndInABatch(Method method) {
        LoadedModel model = Models.shippedModel("fashion-cnn");
        List<Subject> subjects = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            subjects.add(new Subject(new ModelInput.Dense(SampleImages.tensor(i), new long[] {1, 28, 28}), i % 10, 1000 + i));
        }
        Explainer explainer = new Explainer();
        List<MethodCall> calls = List.of(new MethodCall(method, Map.of()));
        List<List<Attribution>> batched = explainer.explain(model, subjects, calls);
        for (int i : new int[] {0, 7, 15}) {
            Attribution alone = explainer.explain(model, List.of(subjects.get(i)), calls).get(0).get(0);
            assertThat(alone.map().values()).as("record %d map", i).isEqualTo(batched.get(i).get(0).map().values());
            assertThat(alone.raw().values()).as("record %d raw", i).isEqualTo(batched.get(i).get(0).raw().values());
        }
    }
}

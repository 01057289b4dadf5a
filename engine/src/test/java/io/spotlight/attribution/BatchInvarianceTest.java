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
 * A record's bits depend on the shapes of the passes its rows went through, and on nothing else in
 * its batch: given the layout it recorded, a record explained again alone, or with other records
 * (as a replay batches them), gets the bits it got in its batch; with every pass at {@code chunk}
 * rows it gets them without any record. Otherwise replays, batched differently, could not
 * reproduce published digests bit for bit.
 */
class BatchInvarianceTest {

    static final Explainer EXPLAINER = new Explainer();

    static List<Subject> subjects(int n) {
        List<Subject> subjects = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            subjects.add(new Subject(new ModelInput.Dense(SampleImages.tensor(i), new long[] {1, 28, 28}), i % 10, 1000 + i));
        }
        return subjects;
    }

    static Attribution alone(LoadedModel model, Subject subject, Method method, Map<String, Object> recorded) {
        return EXPLAINER.explain(model, List.of(subject), List.of(new MethodCall(method, Parameters.toRepeat(method, recorded)))).get(0).get(0);
    }

    static void assertSameBits(Attribution again, Attribution original, String what) {
        assertThat(again.map().values()).as("%s map", what).isEqualTo(original.map().values());
        assertThat(again.raw().values()).as("%s raw", what).isEqualTo(original.raw().values());
        assertThat(again.summary()).as("%s summary", what).isEqualTo(original.summary());
        assertThat(again.parameters()).as("%s parameters", what).isEqualTo(original.parameters());
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"SALIENCY", "SMOOTHGRAD", "INTEGRATED_GRADIENTS", "GRAD_CAM", "GRAD_CAM_PLUS_PLUS"})
    void aRecordGetsItsBatchsBitsAloneGivenTheLayoutItRecorded(Method method) {
        LoadedModel model = Models.shippedModel("fashion-cnn");
        List<Subject> subjects = subjects(16);
        List<MethodCall> calls = List.of(new MethodCall(method, Map.of()));
        List<List<Attribution>> batched = EXPLAINER.explain(model, subjects, calls);
        for (int i : new int[] {0, 7, 15}) {
            Attribution inBatch = batched.get(i).get(0);
            Attribution auto = EXPLAINER.explain(model, List.of(subjects.get(i)), calls).get(0).get(0);
            assertThat(auto.parameters().get("passes")).as("a lone record's own passes").isNotEqualTo(inBatch.parameters().get("passes"));
            assertSameBits(alone(model, subjects.get(i), method, inBatch.parameters()), inBatch, "record " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"SALIENCY", "INTEGRATED_GRADIENTS", "GRAD_CAM"})
    void recordsReplayedTogetherGetTheBitsOfTheirOwnBatches(Method method) {
        LoadedModel model = Models.shippedModel("fashion-cnn");
        List<Subject> subjects = subjects(3);
        boolean path = method == Method.INTEGRATED_GRADIENTS;
        // IG: 3 x 52 rows = 9 passes of 16, then 8 and 4; one row each: a pass of 2, then 1.
        List<List<Attribution>> batched = EXPLAINER.explain(model, subjects,
                List.of(new MethodCall(method, Map.of("chunk", path ? "16" : "2"))));
        assertThat(batched).extracting(r -> r.get(0).parameters().get("passes"))
                .containsExactlyElementsOf(path ? List.of("16:52", "16:52", "16:40,8:8,4:4") : List.of("2:1", "2:1", "1:1"));
        for (int i = 0; i < 3; i++) {
            assertSameBits(alone(model, subjects.get(i), method, batched.get(i).get(0).parameters()), batched.get(i).get(0), "record " + i + " alone");
        }
        // Records 0 and 1 recorded the same layout: replayed together, the other way round, each gets its bits again.
        List<List<Attribution>> together = EXPLAINER.explain(model, List.of(subjects.get(1), subjects.get(0)),
                List.of(new MethodCall(method, Parameters.toRepeat(method, batched.get(0).get(0).parameters()))));
        assertSameBits(together.get(0).get(0), batched.get(1).get(0), "record 1 beside record 0");
        assertSameBits(together.get(1).get(0), batched.get(0).get(0), "record 0 beside record 1");
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"SALIENCY", "SMOOTHGRAD", "INTEGRATED_GRADIENTS", "GRAD_CAM"})
    void withEveryPassAtChunkRowsARecordGetsTheSameBitsAloneAndInABatch(Method method) {
        LoadedModel model = Models.shippedModel("fashion-cnn");
        List<Subject> subjects = subjects(16);
        List<MethodCall> calls = List.of(new MethodCall(method, Map.of("passes", "chunk")));
        List<List<Attribution>> batched = EXPLAINER.explain(model, subjects, calls);
        for (int i : new int[] {0, 15}) {
            Attribution alone = EXPLAINER.explain(model, List.of(subjects.get(i)), calls).get(0).get(0);
            assertThat(alone.map().values()).as("record %d map", i).isEqualTo(batched.get(i).get(0).map().values());
            assertThat(alone.raw().values()).as("record %d raw", i).isEqualTo(batched.get(i).get(0).raw().values());
        }
    }
}

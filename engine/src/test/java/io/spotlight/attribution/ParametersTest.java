package io.spotlight.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spotlight.events.Json;
import io.spotlight.model.ModelCard;
import io.spotlight.model.ModelSettings;
import io.spotlight.testing.Models;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Resolving a call's parameters against the methods' declarations: the recorded maps are exactly
 * those explanation events have always carried (names, values and value types, so digests and
 * replays of recorded events still match), and every wrong parameter is refused with a message
 * naming it, before any record is computed.
 */
class ParametersTest {

    static final ModelCard CNN = ModelCard.load(Models.shipped("fashion-cnn"));
    static final ModelCard VIT = ModelCard.load(Models.shipped("fashion-vit"));
    static final ModelCard TEXT = ModelCard.load(Models.shipped("review-sentiment"));

    static Map<String, Object> effective(Method method, Map<String, ?> given, ModelCard card, int chunk) {
        return Parameters.resolve(method, given, card, new ModelSettings(chunk)).effective();
    }

    static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new TreeMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsAreRecordedAsEventsAlwaysRecordedThem() {
        assertThat(effective(Method.SALIENCY, Map.of(), CNN, 16)).isEqualTo(map("chunk", 16, "passes", "auto", "reduction", "abs-max"));
        assertThat(effective(Method.GRADIENT_X_INPUT, Map.of(), CNN, 16)).isEqualTo(map("chunk", 16, "passes", "auto", "reduction", "abs-max"));
        assertThat(effective(Method.SMOOTHGRAD, Map.of(), CNN, 16)).isEqualTo(
                map("chunk", 16, "passes", "auto", "reduction", "abs-max", "samples", 50, "sigma", 0.15, "sigma-mode", "absolute"));
        assertThat(effective(Method.INTEGRATED_GRADIENTS, Map.of(), CNN, 16)).isEqualTo(
                map("baseline", "black", "chunk", 16, "passes", "auto", "reduction", "abs-sum", "rule", "gauss-legendre", "steps", 50));
        assertThat(effective(Method.GRAD_CAM, Map.of(), CNN, 16)).isEqualTo(map("chunk", 16, "passes", "auto"));
        assertThat(effective(Method.GRAD_CAM_PLUS_PLUS, Map.of(), CNN, 16)).isEqualTo(map("chunk", 16, "passes", "auto"));
        assertThat(effective(Method.SALIENCY, Map.of(), TEXT, 32)).isEqualTo(map("chunk", 32, "passes", "auto", "reduction", "l2"));
        assertThat(effective(Method.GRADIENT_X_INPUT, Map.of(), TEXT, 32)).isEqualTo(map("chunk", 32, "passes", "auto", "reduction", "sum"));
        assertThat(effective(Method.SMOOTHGRAD, Map.of(), TEXT, 32)).containsEntry("reduction", "l2");
        assertThat(effective(Method.LAYER_INTEGRATED_GRADIENTS, TEXT.parameters().get("layer-integrated-gradients"), TEXT, 32))
                .isEqualTo(map("baseline", "pad", "chunk", 32, "gap-target", 0.01, "max-steps", 256, "min-steps", 16, "normalise", "l2",
                        "passes", "auto", "rule", "gauss-legendre", "steps", "auto"));
        assertThat(effective(Method.ATTENTION, Map.of(), VIT, 64)).isEqualTo(map("chunk", 64, "head", -1, "layer", -1, "passes", "auto"));
        assertThat(effective(Method.ATTENTION_ROLLOUT, Map.of(), VIT, 64)).isEqualTo(map("chunk", 64, "passes", "auto", "residual", 0.5));
    }

    @Test
    void givenValuesAreRecordedWithTheirTypesAndOnlyWhereTheyApply() throws Exception {
        Map<String, Object> blur = effective(Method.INTEGRATED_GRADIENTS,
                Map.of("baseline", "BLUR ", "rule", "riemann-trapezoid", "steps", "32", "blur-sigma", 4), CNN, 16);
        // Integers as integers, reals as reals, choices by their (trimmed, lower-case) ids: the bytes of the event.
        assertThat(Json.MAPPER.writeValueAsString(blur)).isEqualTo("{\"baseline\":\"blur\",\"blur-kernel\":51,\"blur-sigma\":4.0,"
                + "\"chunk\":16,\"passes\":\"auto\",\"reduction\":\"abs-sum\",\"rule\":\"riemann-trapezoid\",\"steps\":32}");
        assertThat(effective(Method.INTEGRATED_GRADIENTS, Map.of("baseline", "file", "baseline-file", " b.npy"), CNN, 16))
                .containsEntry("baseline-file", " b.npy").doesNotContainKeys("blur-kernel", "blur-sigma");
        assertThat(effective(Method.ATTENTION, Map.of("layer", 3, "head", "2"), VIT, 64)).containsEntry("layer", 3).containsEntry("head", 2);
    }

    @Test
    void wrongParametersAreRefusedByName() {
        ModelSettings s = new ModelSettings(16);
        assertThatThrownBy(() -> Parameters.resolve(Method.SALIENCY, Map.of("steps", "5"), CNN, s))
                .hasMessage("saliency has no parameter(s) [steps]; it takes [reduction, chunk, passes]");
        assertThatThrownBy(() -> Parameters.resolve(Method.INTEGRATED_GRADIENTS, Map.of("steps", "many"), CNN, s))
                .hasMessage("parameter steps must be an integer or auto, got 'many'");
        assertThatThrownBy(() -> Parameters.resolve(Method.SMOOTHGRAD, Map.of("sigma", "wide"), CNN, s))
                .hasMessage("parameter sigma must be a number, got 'wide'");
        assertThatThrownBy(() -> Parameters.resolve(Method.SMOOTHGRAD, Map.of("samples", 0), CNN, s))
                .hasMessage("parameter samples must be in [1, 100000], got 0");
        assertThatThrownBy(() -> Parameters.resolve(Method.ATTENTION_ROLLOUT, Map.of("residual", "NaN"), VIT, s))
                .hasMessage("parameter residual must be in [0, 1], got NaN");
        assertThatThrownBy(() -> Parameters.resolve(Method.INTEGRATED_GRADIENTS, Map.of("rule", "simpson"), CNN, s))
                .hasMessage("parameter rule must be one of [riemann-left, riemann-right, riemann-middle, riemann-trapezoid, "
                        + "gauss-legendre], got 'simpson'");
        assertThatThrownBy(() -> Parameters.resolve(Method.SALIENCY, Map.of("chunk", 0), CNN, s))
                .hasMessage("parameter chunk must be in [1, 1000000], got 0");
    }

    @Test
    void boundsAndConditionsFollowTheModelAndTheOtherParameters() {
        ModelSettings s = new ModelSettings(16);
        assertThatThrownBy(() -> Parameters.resolve(Method.INTEGRATED_GRADIENTS, Map.of("rule", "riemann-left", "steps", 1), CNN, s))
                .hasMessage("parameter steps must be in [2, 100000], got 1");
        assertThatThrownBy(() -> Parameters.resolve(Method.LAYER_INTEGRATED_GRADIENTS, Map.of("steps", 1001), TEXT, s))
                .hasMessage("parameter steps must be in [1, 1000], got 1001");
        assertThat(effective(Method.INTEGRATED_GRADIENTS, Map.of("rule", "riemann-middle", "steps", 5000), CNN, 16))
                .containsEntry("steps", 5000);
        assertThatThrownBy(() -> Parameters.resolve(Method.ATTENTION, Map.of("layer", -5), VIT, s))
                .hasMessage("parameter layer must be in [-4, 3], got -5");
        assertThatThrownBy(() -> Parameters.resolve(Method.ATTENTION, Map.of("head", 4), VIT, s))
                .hasMessage("parameter head must be in [-1, 3], got 4");
        assertThatThrownBy(() -> Parameters.resolve(Method.INTEGRATED_GRADIENTS, Map.of("blur-kernel", 31), CNN, s))
                .hasMessage("integrated-gradients: blur-kernel applies only when baseline is blur; baseline is black");
        assertThatThrownBy(() -> Parameters.resolve(Method.INTEGRATED_GRADIENTS, Map.of("baseline", "file"), CNN, s))
                .hasMessage("integrated-gradients needs baseline-file when baseline is file");
    }

    @Test
    void aRecordedMapIsGivenAgainWithoutWhatTheMethodDerived() {
        Map<String, Object> recorded = new LinkedHashMap<>(map("baseline", "random", "chunk", 16, "reduction", "abs-sum",
                "rule", "gauss-legendre", "steps", 50));
        recorded.put("seed", 7L);
        recorded.put("passes", "16:48,4:4");
        assertThat(Parameters.toRepeat(Method.INTEGRATED_GRADIENTS, recorded)).containsOnlyKeys("baseline", "chunk", "passes", "reduction", "rule", "steps")
                .containsEntry("steps", "50").containsEntry("passes", "16:48,4:4");
        assertThat(effective(Method.INTEGRATED_GRADIENTS, Parameters.toRepeat(Method.INTEGRATED_GRADIENTS, recorded), CNN, 64))
                .isEqualTo(map("baseline", "random", "chunk", 16, "passes", "16:48,4:4", "reduction", "abs-sum", "rule", "gauss-legendre", "steps", 50));
        assertThat(Parameters.toRepeat(Method.ATTENTION, map("chunk", 32, "head", -1, "head-fusion", "mean", "layer", -1, "passes", "1:1")))
                .containsOnlyKeys("chunk", "head", "layer", "passes");
        // A name the method does not derive goes back, so that a parameter it no longer takes is an error, not dropped.
        assertThat(Parameters.toRepeat(Method.SALIENCY, map("chunk", 16, "reduction", "sum", "seed", 3))).containsKey("seed");
    }

    @Test
    void anExplanationRecordedBeforePassShapesWereRecordedIsRepeatedWithEveryPassAtChunkRows() {
        // Before the ladder every pass had chunk rows, padded: passes=chunk runs them so again.
        assertThat(Parameters.toRepeat(Method.GRAD_CAM, map("chunk", 16))).isEqualTo(Map.of("chunk", "16", "passes", "chunk"));
        assertThat(effective(Method.GRAD_CAM, Map.of("passes", " Chunk"), CNN, 16)).isEqualTo(map("chunk", 16, "passes", "chunk"));
    }

    @Test
    void stepsAutoTakesItsOwnParametersAndARecordIsRepeatedWithTheStepsItTook() {
        Map<String, Object> auto = effective(Method.INTEGRATED_GRADIENTS, Map.of("steps", "AUTO", "gap-target", "0.02"), CNN, 16);
        assertThat(auto).containsEntry("steps", "auto").containsEntry("gap-target", 0.02).containsEntry("min-steps", 16)
                .containsEntry("max-steps", 256);
        assertThat(effective(Method.INTEGRATED_GRADIENTS, Map.of("steps", 50), CNN, 16)).doesNotContainKeys("gap-target", "min-steps", "max-steps");
        ModelSettings s = new ModelSettings(16);
        assertThatThrownBy(() -> Parameters.resolve(Method.INTEGRATED_GRADIENTS, Map.of("gap-target", "0.02"), CNN, s))
                .hasMessage("integrated-gradients: gap-target applies only when steps is auto; steps is 50");
        assertThatThrownBy(() -> Parameters.resolve(Method.INTEGRATED_GRADIENTS, Map.of("steps", "auto", "min-steps", 64, "max-steps", 32), CNN, s))
                .hasMessage("parameter max-steps must be in [64, 1000], got 32");
        assertThatThrownBy(() -> Parameters.resolve(Method.INTEGRATED_GRADIENTS, Map.of("steps", "auto", "max-steps", 1001), CNN, s))
                .hasMessage("parameter max-steps must be in [1, 1000], got 1001");
        Map<String, Object> recorded = new LinkedHashMap<>(auto);
        recorded.put("steps-used", 32);
        recorded.put("passes", "16:34");
        Map<String, String> again = Parameters.toRepeat(Method.INTEGRATED_GRADIENTS, recorded);
        assertThat(again).containsEntry("steps", "32").containsEntry("passes", "16:34").doesNotContainKeys("steps-used", "gap-target",
                "min-steps", "max-steps");
        assertThat(effective(Method.INTEGRATED_GRADIENTS, again, CNN, 16)).containsEntry("steps", 32);
    }

    @Test
    void aPassLayoutIsReadAndWrittenAsExplanationsRecordIt() {
        assertThat(PassLayout.parse(" 16:48, 4:4 ").segments()).containsExactly(new PassLayout.Segment(16, 48), new PassLayout.Segment(4, 4));
        assertThat(PassLayout.parse("16:48,4:4").rows()).isEqualTo(52);
        assertThat(PassLayout.of(new int[] {16, 16, 8, 8, 8, 1}).toString()).isEqualTo("16:2,8:3,1:1");
        assertThatThrownBy(() -> Parameters.resolve(Method.SALIENCY, Map.of("passes", "16x3"), CNN, new ModelSettings(16)))
                .hasMessage("parameter passes must be auto, chunk or shape:rows,... (e.g. 16:48,4:4), got '16x3'");
        assertThatThrownBy(() -> PassLayout.parse("0:3")).hasMessageContaining("got '0:3'");
    }

    @Test
    void aMethodRecordsOnlyWhatItDeclares() {
        Parameters p = Parameters.resolve(Method.SALIENCY, Map.of(), CNN, new ModelSettings(16));
        assertThatThrownBy(() -> p.record(AttentionBase.HEAD_FUSION, "mean")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("saliency does not declare that it records head-fusion");
        assertThatThrownBy(() -> p.get(SmoothGrad.SAMPLES)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rowsPerRecordFollowTheParameters() {
        ModelSettings s = new ModelSettings(16);
        assertThat(Method.INTEGRATED_GRADIENTS.implementation().rowsPerRecord(
                Parameters.resolve(Method.INTEGRATED_GRADIENTS, Map.of("steps", 32), CNN, s))).isEqualTo(34);
        assertThat(Method.SMOOTHGRAD.implementation().rowsPerRecord(Parameters.resolve(Method.SMOOTHGRAD, Map.of(), CNN, s)))
                .isEqualTo(50);
        assertThat(Method.GRAD_CAM.implementation().rowsPerRecord(Parameters.resolve(Method.GRAD_CAM, Map.of(), CNN, s))).isEqualTo(1);
    }

    @Test
    void everyMethodDeclaresItsPassesAndTheClassThatComputesIt() {
        assertThat(Arrays.stream(Method.values())).allSatisfy(m -> {
            assertThat(m.parameters().parameters()).contains(Passes.CHUNK, Passes.PASSES);
            assertThat(m.implementation().method()).isEqualTo(m);
        });
    }
}

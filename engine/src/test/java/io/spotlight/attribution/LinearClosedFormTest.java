package io.spotlight.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.events.Json;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelInput;
import io.spotlight.testing.Fixtures;
import io.spotlight.testing.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The closed-form case: for y = Wx + b the gradient of class c is W[c] everywhere, so saliency is
 * W[c], gradient x input is x * W[c], SmoothGrad is W[c] whatever the noise, and integrated
 * gradients is (x - x') * W[c] times the sum of the rule's step weights, for every baseline. The
 * blur baseline x' is torchvision's {@code gaussian_blur} of x (fixture {@code linear-probe}).
 */
class LinearClosedFormTest {

    static LoadedModel model;
    static float[][] w;
    static final float[] X = new float[16];
    static final int TARGET = 1;
    static final Explainer EXPLAINER = new Explainer();

    @BeforeAll
    static void load() throws Exception {
        model = Models.testModel("linear-probe");
        JsonNode weights = Json.MAPPER.readTree(Models.testOnly("linear-probe").resolveSibling("weights.json").toFile());
        w = new float[3][16];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 16; i++) {
                w[c][i] = (float) weights.get("weight").get(c).get(i).asDouble();
            }
        }
        for (int i = 0; i < 16; i++) {
            X[i] = -1f + 2f * i / 15f;
        }
    }

    static Attribution run(Method m, Map<String, String> params) {
        Subject s = new Subject(new ModelInput.Dense(X.clone(), new long[] {1, 4, 4}), TARGET, 99);
        return EXPLAINER.explain(model, List.of(s), List.of(new MethodCall(m, params))).get(0).get(0);
    }

    @Test
    void saliencyIsTheWeightRowAndItsMapTheAbsoluteValue() {
        Attribution a = run(Method.SALIENCY, Map.of());
        for (int i = 0; i < 16; i++) {
            assertThat(a.raw().values()[i]).isCloseTo(w[TARGET][i], within(1e-6f));
            assertThat(a.map().values()[i]).isCloseTo(Math.abs(w[TARGET][i]), within(1e-6f));
        }
    }

    @Test
    void gradientTimesInputIsXTimesTheWeights() {
        Attribution a = run(Method.GRADIENT_X_INPUT, Map.of());
        for (int i = 0; i < 16; i++) {
            assertThat(a.raw().values()[i]).isCloseTo(X[i] * w[TARGET][i], within(1e-6f));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"absolute", "fraction"})
    void smoothGradOfALinearModelIsTheWeightRow(String mode) {
        Attribution a = run(Method.SMOOTHGRAD, Map.of("samples", "7", "sigma", "0.5", "sigma-mode", mode));
        for (int i = 0; i < 16; i++) {
            assertThat(a.raw().values()[i]).isCloseTo(w[TARGET][i], within(1e-6f));
        }
        assertThat(a.parameters()).containsEntry("seed", 99L);
    }

    @ParameterizedTest
    @EnumSource(IntegrationRule.class)
    void integratedGradientsIsTheDifferenceTimesTheWeightsTimesTheRulesWeightSum(IntegrationRule rule) {
        for (int steps : new int[] {2, 7, 50}) {
            Attribution a = run(Method.INTEGRATED_GRADIENTS, Map.of("rule", rule.id(), "steps", Integer.toString(steps)));
            double weightSum = rule.steps(steps).weightSum();
            for (int i = 0; i < 16; i++) {
                assertThat((double) a.raw().values()[i]).as("%s/%d element %d", rule, steps, i)
                        .isCloseTo(X[i] * w[TARGET][i] * weightSum, within(1e-5));
            }
            // Completeness: exact when the weights sum to one (every rule but Captum's trapezoid).
            double gap = a.summary().get("logit") - a.summary().get("baseline_logit");
            assertThat(a.summary().get("delta")).isCloseTo(gap * (weightSum - 1), within(1e-5));
        }
    }

    @Test
    void theRulesPlaceTheirPointsAsCaptumDoes() {
        assertThat(IntegrationRule.RIEMANN_LEFT.steps(4).alphas()).containsExactly(0f, 0.25f, 0.5f, 0.75f);
        assertThat(IntegrationRule.RIEMANN_RIGHT.steps(4).alphas()).containsExactly(0.25f, 0.5f, 0.75f, 1f);
        assertThat(IntegrationRule.RIEMANN_MIDDLE.steps(4).alphas()).containsExactly(0.125f, 0.375f, 0.625f, 0.875f);
        assertThat(IntegrationRule.RIEMANN_TRAPEZOID.steps(4).weights()).containsExactly(0.125f, 0.25f, 0.25f, 0.125f);
        // numpy.polynomial.legendre.leggauss(3): nodes -sqrt(3/5), 0, sqrt(3/5); weights 5/9, 8/9, 5/9.
        IntegrationRule.Steps gl = IntegrationRule.GAUSS_LEGENDRE.steps(3);
        assertThat(gl.alphas()[0]).isCloseTo((float) (0.5 * (1 - Math.sqrt(0.6))), within(1e-7f));
        assertThat(gl.weights()[1]).isCloseTo(4f / 9f, within(1e-7f));
        assertThat(IntegrationRule.GAUSS_LEGENDRE.steps(50).weightSum()).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void everyBaselineIsTheOneIntegratedFrom(@TempDir Path dir) throws Exception {
        float[] fileBaseline = new float[16];
        for (int i = 0; i < 16; i++) {
            fileBaseline[i] = 0.3f - 0.05f * i;
        }
        Path file = dir.resolve("baseline.npz");
        try (var m = model.newManager()) {
            Files.write(file, new NDList(m.create(fileBaseline, new Shape(1, 4, 4))).encode(NDList.Encoding.NPZ));
        }
        JsonNode reference = Fixtures.cases("linear-probe").get(0);
        assertThat(Fixtures.values(reference.get("input"))).as("the reference's input").containsExactly(X, within(1e-6f));
        JsonNode blur = reference.at("/baselines/blur");
        assertThat(blur.get("kernel").asInt()).isEqualTo(51);
        assertThat(blur.get("sigma").asDouble()).isEqualTo(50.0);
        float[] blurred = Fixtures.values(blur.get("tensor"));
        Map<String, float[]> expected = Map.of("black", new float[16], "white", filled(1f), "blur", blurred, "file", fileBaseline);
        for (var e : expected.entrySet()) {
            Map<String, String> params = new HashMap<>(Map.of("baseline", e.getKey()));
            if (e.getKey().equals("file")) {
                params.put("baseline-file", file.toString());
            }
            Attribution a = run(Method.INTEGRATED_GRADIENTS, params);
            for (int i = 0; i < 16; i++) {
                assertThat(a.raw().values()[i]).as("%s element %d", e.getKey(), i)
                        .isCloseTo((X[i] - e.getValue()[i]) * w[TARGET][i], within(2e-5f));
            }
        }
        assertThat(run(Method.INTEGRATED_GRADIENTS, Map.of("baseline", "blur")).parameters())
                .containsEntry("blur-kernel-effective", 7)
                .containsEntry("blur-kernel-effective", blur.get("kernel-effective").asInt());
    }

    @Test
    void theRandomBaselineIsSeededUniformOverTheInputsRange() {
        Attribution a = run(Method.INTEGRATED_GRADIENTS, Map.of("baseline", "random"));
        Attribution again = run(Method.INTEGRATED_GRADIENTS, Map.of("baseline", "random"));
        assertThat(a.raw().values()).containsExactly(again.raw().values());
        assertThat(a.parameters()).containsEntry("seed", 99L);
        for (int i = 0; i < 16; i++) {
            if (Math.abs(w[TARGET][i]) > 1e-3) {
                float baseline = X[i] - a.raw().values()[i] / w[TARGET][i];
                assertThat(baseline).isBetween(-1.0001f, 1.0001f);
            }
        }
    }

    private static float[] filled(float v) {
        float[] a = new float[16];
        Arrays.fill(a, v);
        return a;
    }
}

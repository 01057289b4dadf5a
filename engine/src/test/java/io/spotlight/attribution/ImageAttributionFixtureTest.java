package io.spotlight.attribution;

import static io.spotlight.testing.Close.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelInput;
import io.spotlight.numeric.GaussianBlur;
import io.spotlight.testing.Fixtures;
import io.spotlight.testing.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every method on every shipped image model against PyTorch autograd on the same TorchScript file
 * (fixtures from tools/export_fixtures.py): at most 1e-4 relative error, measured as
 * max |java - torch| / max |torch| over the whole tensor.
 */
class ImageAttributionFixtureTest {

    static final double TOLERANCE = 1e-4;
    static final Explainer EXPLAINER = new Explainer();

    static Stream<Arguments> cases() {
        return Stream.of("fashion-cnn", "fashion-cnn-shortcut", "fashion-vit").flatMap(model -> {
            List<JsonNode> cases = Fixtures.cases(model);
            return IntStream.range(0, cases.size()).mapToObj(i -> Arguments.of(model, i, cases.get(i)));
        });
    }

    static Subject subject(JsonNode c) {
        var x = Fixtures.tensor(c.get("input"));
        long[] shape = Arrays.copyOfRange(x.shape(), 1, x.shape().length);
        return new Subject(new ModelInput.Dense(x.values(), shape), c.get("target").asInt(), 42L);
    }

    static Attribution run(LoadedModel model, JsonNode c, Method method, Map<String, String> params) {
        return EXPLAINER.explain(model, List.of(subject(c)), List.of(new MethodCall(method, params))).get(0).get(0);
    }

    @ParameterizedTest(name = "{0} case {1}")
    @MethodSource("cases")
    void gradientMethodsMatchAutograd(String modelDir, int index, JsonNode c) {
        LoadedModel model = Models.shippedModel(modelDir);
        Attribution saliency = run(model, c, Method.SALIENCY, Map.of());
        assertClose("saliency gradient", saliency.raw().values(), Fixtures.values(c.at("/saliency/gradient")), TOLERANCE);
        assertClose("saliency abs-max map", saliency.map().values(), Fixtures.values(c.at("/saliency/maps/abs-max")), TOLERANCE);
        assertThat(saliency.map().shape()).containsExactly(28, 28);

        Attribution gxi = run(model, c, Method.GRADIENT_X_INPUT, Map.of());
        assertClose("gradient x input", gxi.raw().values(), Fixtures.values(c.at("/gradient-x-input/attributions")), TOLERANCE);
        assertClose("gradient x input map", gxi.map().values(), Fixtures.values(c.at("/gradient-x-input/maps/abs-max")), TOLERANCE);
    }

    @ParameterizedTest(name = "{0} case {1}")
    @MethodSource("cases")
    void smoothGradMatchesAutogradGivenTheSameNoise(String modelDir, int index, JsonNode c) {
        LoadedModel model = Models.shippedModel(modelDir);
        float[] noise = Fixtures.values(c.at("/smoothgrad/noise"));
        int samples = (int) Fixtures.tensor(c.at("/smoothgrad/noise")).shape()[0];
        SmoothGrad sg = new SmoothGrad((s, count, sigma) -> {
            assertThat(count).isEqualTo(noise.length);
            return noise;
        });
        Attribution a = sg.explain(model, List.of(subject(c)), Parameters.resolve(Method.SMOOTHGRAD, Map.of("samples", samples, "sigma", 0.15), model.card(), model.settings())).get(0);
        assertClose("smoothgrad mean gradient", a.raw().values(), Fixtures.values(c.at("/smoothgrad/gradient")), TOLERANCE);
        assertClose("smoothgrad map", a.map().values(), Fixtures.values(c.at("/smoothgrad/maps/abs-max")), TOLERANCE);
    }

    @ParameterizedTest(name = "{0} case {1}")
    @MethodSource("cases")
    void integratedGradientsMatchAutogradForEveryRuleAndBaseline(String modelDir, int index, JsonNode c, @TempDir Path tmp) throws Exception {
        LoadedModel model = Models.shippedModel(modelDir);
        Path tensorBaseline = tmp.resolve("baseline.npz");
        try (NDManager m = model.newManager()) {
            var b = Fixtures.tensor(c.at("/baselines/tensor"));
            Files.write(tensorBaseline, new NDList(m.create(b.values(), new Shape(1, 28, 28))).encode(NDList.Encoding.NPZ));
        }
        for (JsonNode ig : c.get("integrated-gradients")) {
            String baseline = ig.get("baseline").asText();
            Map<String, String> params = new HashMap<>(Map.of(
                    "rule", ig.get("rule").asText(), "steps", ig.get("steps").asText(),
                    "baseline", baseline.equals("tensor") ? "file" : baseline));
            if (baseline.equals("tensor")) {
                params.put("baseline-file", tensorBaseline.toString());
            }
            Attribution a = run(model, c, Method.INTEGRATED_GRADIENTS, params);
            String what = "IG " + params;
            assertClose(what, a.raw().values(), Fixtures.values(ig.get("attributions")), TOLERANCE);
            if (ig.has("maps")) {
                assertClose(what + " abs-sum map", a.map().values(), Fixtures.values(ig.at("/maps/abs-sum")), TOLERANCE);
            }
            double gap = Math.abs(a.summary().get("logit") - a.summary().get("baseline_logit"));
            assertThat(Math.abs(a.summary().get("delta") - ig.get("delta").asDouble()))
                    .as(what + " completeness delta").isLessThanOrEqualTo(TOLERANCE * Math.max(1, gap));
        }
    }

    @ParameterizedTest(name = "{0} case {1}")
    @MethodSource("cases")
    void blurBaselineIsTorchvisionsGaussianBlur(String modelDir, int index, JsonNode c) {
        var x = Fixtures.tensor(c.get("input"));
        float[] blurred = GaussianBlur.blur(x.values(), 1, 28, 28, 51, 50.0);
        assertClose("blur 51/50", blurred, Fixtures.values(c.at("/baselines/blur/tensor")), 1e-5);
    }

    @ParameterizedTest(name = "{0} case {1}")
    @MethodSource("cases")
    void vitAttentionMapsAreTheChaptersClsToPatchViews(String modelDir, int index, JsonNode c) {
        LoadedModel model = Models.shippedModel(modelDir);
        if (!c.has("attention")) {
            assertThat(EXPLAINER.method(Method.ATTENTION).supports(model)).as("no attentions").isFalse();
            return;
        }
        Attribution a = run(model, c, Method.ATTENTION, Map.of());
        assertClose("attention tensor", a.extras().get("tensor").values(), Fixtures.values(c.at("/attention/tensor")), TOLERANCE);
        assertClose("last layer head-mean CLS row", rowOf(a.raw(), 0), Fixtures.values(c.at("/attention/cls-last-layer")), TOLERANCE);
        assertClose("CLS-to-patch map upsampled to the image", a.map().values(), Fixtures.values(c.at("/attention/cls-map")), TOLERANCE);
        assertThat(a.map().shape()).containsExactly(28, 28);
        Attribution r = run(model, c, Method.ATTENTION_ROLLOUT, Map.of());
        assertClose("rollout", r.raw().values(), Fixtures.values(c.at("/attention-rollout/matrix")), TOLERANCE);
        assertClose("rollout CLS map", r.map().values(), Fixtures.values(c.at("/attention-rollout/cls-map")), TOLERANCE);
    }

    static float[] rowOf(Tensor m, int row) {
        int t = (int) m.shape()[1];
        return Arrays.copyOfRange(m.values(), row * t, (row + 1) * t);
    }

    @ParameterizedTest(name = "{0} case {1}")
    @MethodSource("cases")
    void camsMatchPytorchGradCam(String modelDir, int index, JsonNode c) {
        LoadedModel model = Models.shippedModel(modelDir);
        if (!c.has("grad-cam")) {
            assertThat(EXPLAINER.method(Method.GRAD_CAM).supports(model)).as("no features/head layers").isFalse();
            return;
        }
        for (Method m : List.of(Method.GRAD_CAM, Method.GRAD_CAM_PLUS_PLUS)) {
            Attribution a = run(model, c, m, Map.of());
            assertClose(m + " activation-grid cam", a.raw().values(), Fixtures.values(c.at("/" + m.id() + "/cam")), TOLERANCE);
            assertClose(m + " upsampled map", a.map().values(), Fixtures.values(c.at("/" + m.id() + "/map")), TOLERANCE);
        }
    }
}

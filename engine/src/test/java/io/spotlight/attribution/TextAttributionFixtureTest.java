package io.spotlight.attribution;

import static io.spotlight.testing.Close.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelCard;
import io.spotlight.model.ModelInput;
import io.spotlight.model.ModelSettings;
import io.spotlight.testing.Fixtures;
import io.spotlight.testing.Models;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every method on the shipped text transformer against PyTorch autograd on the same TorchScript
 * file: gradients and integrated gradients on the token embeddings, the chapter's token sums and
 * L2 normalisation, and the attention views. At most 1e-4 relative error.
 */
class TextAttributionFixtureTest {

    static final double TOLERANCE = 1e-4;
    static final Explainer EXPLAINER = new Explainer();

    static Stream<Arguments> cases() {
        List<JsonNode> cases = Fixtures.cases("review-sentiment");
        return IntStream.range(0, cases.size()).mapToObj(i -> Arguments.of(i, cases.get(i)));
    }

    static LoadedModel model() {
        return Models.shippedModel("review-sentiment");
    }

    static Subject subject(JsonNode c) {
        return new Subject(new ModelInput.Tokens(model().tokenizer().encode(c.get("text").asText())), c.get("target").asInt(), 5L);
    }

    static Attribution run(JsonNode c, Method m, Map<String, String> p) {
        return EXPLAINER.explain(model(), List.of(subject(c)), List.of(new MethodCall(m, p))).get(0).get(0);
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void gradientsOnTheEmbeddingsMatchAutograd(int index, JsonNode c) {
        Attribution s = run(c, Method.SALIENCY, Map.of());
        assertClose("embedding gradient", s.raw().values(), Fixtures.values(c.at("/saliency/gradient")), TOLERANCE);
        assertClose("per-token L2 norm", s.map().values(), Fixtures.values(c.at("/saliency/l2")), TOLERANCE);
        assertThat(s.tokens()).hasSize(s.map().values().length);

        Attribution g = run(c, Method.GRADIENT_X_INPUT, Map.of());
        assertClose("gradient x embedding", g.raw().values(), Fixtures.values(c.at("/gradient-x-input/attributions")), TOLERANCE);
        assertClose("per-token sum", g.map().values(), Fixtures.values(c.at("/gradient-x-input/sum")), TOLERANCE);
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void smoothGradMatchesAutogradGivenTheSameNoise(int index, JsonNode c) {
        float[] noise = Fixtures.values(c.at("/smoothgrad/noise"));
        int samples = (int) Fixtures.tensor(c.at("/smoothgrad/noise")).shape()[0];
        SmoothGrad sg = new SmoothGrad((s, count, sigma) -> noise);
        LoadedModel model = model();
        Attribution a = sg.explain(model, List.of(subject(c)),
                Parameters.resolve(Method.SMOOTHGRAD, Map.of("samples", samples), model.card(), model.settings())).get(0);
        assertClose("smoothgrad gradient", a.raw().values(), Fixtures.values(c.at("/smoothgrad/gradient")), TOLERANCE);
        assertClose("smoothgrad per-token L2", a.map().values(), Fixtures.values(c.at("/smoothgrad/l2")), TOLERANCE);
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void layerIntegratedGradientsMatchesCaptumsFormulation(int index, JsonNode c) {
        Attribution a = run(c, Method.LAYER_INTEGRATED_GRADIENTS, Map.of());
        JsonNode f = c.get("layer-integrated-gradients");
        assertClose("attributions on the embeddings", a.raw().values(), Fixtures.values(f.get("attributions")), TOLERANCE);
        assertClose("L2-normalised token sums", a.map().values(), Fixtures.values(f.get("normalised")), TOLERANCE);
        double gap = Math.abs(a.summary().get("logit") - a.summary().get("baseline_logit"));
        assertThat(Math.abs(a.summary().get("delta") - f.get("delta").asDouble())).isLessThanOrEqualTo(TOLERANCE * Math.max(1, gap));
    }

    /** The fixture's views cover all 32 positions; Spotlight's the real tokens: compare the real-token block. */
    static float[] real(JsonNode fixture, int matrices, int n) {
        var t = Fixtures.tensor(fixture);
        long[] shape = t.shape();
        int full = (int) shape[shape.length - 1];
        return shape.length == 1 || (shape.length == 2 && matrices == 0)
                ? Arrays.copyOf(t.values(), n)
                : AttentionBase.block(t.values(), Math.max(1, matrices), full, n);
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void attentionViewsAreThoseOfTheModelOnTheRealTokens(int index, JsonNode c) {
        Attribution a = run(c, Method.ATTENTION, Map.of());
        int n = (int) a.raw().shape()[0];
        assertThat(n).isEqualTo(model().tokenizer().encode(c.get("text").asText()).length());
        assertThat(a.tokens()).hasSize(n);
        assertClose("every layer and head", a.extras().get("tensor").values(), real(c.at("/attention/tensor"), 8, n), TOLERANCE);
        assertClose("head means", a.extras().get("head-mean").values(), real(c.at("/attention/head-mean"), 2, n), TOLERANCE);
        assertClose("layer and head mean", a.extras().get("layer-mean").values(), real(c.at("/attention/layer-mean"), 1, n), TOLERANCE);
        assertClose("CLS row of the last layer's head mean", a.map().values(), real(c.at("/attention/cls-last-layer"), 0, n), TOLERANCE);

        Attribution r = run(c, Method.ATTENTION_ROLLOUT, Map.of());
        assertClose("rollout", r.raw().values(), real(c.at("/attention-rollout/matrix"), 1, n), TOLERANCE);
        assertClose("rollout CLS row", r.map().values(), real(c.at("/attention-rollout/cls"), 0, n), TOLERANCE);

        Attribution one = run(c, Method.ATTENTION, Map.of("layer", "0", "head", "2"));
        float[] all = a.extras().get("tensor").values();
        float[] expected = Arrays.copyOfRange(all, 2 * n * n, 3 * n * n);
        assertThat(one.raw().values()).containsExactly(expected);
    }

    /** Attention needs only the token ids: a card without the embedding layers gradient methods need still gets it. */
    @Test
    void attentionNeedsNoEmbeddingLayers() {
        ModelCard c = model().card();
        ModelCard bare = new ModelCard(c.id(), c.version(), c.description(), c.file(), c.input(), c.output(), c.classes(), Map.of(),
                List.of("attention", "attention-rollout"), c.plan(), null, c.focus(), c.attention(), c.watermark(), c.metrics(),
                c.provenance(), c.samples(), c.directory());
        Subject s = subject(Fixtures.cases("review-sentiment").get(0));
        try (LoadedModel m = LoadedModel.load(bare, Device.cpu(), new ModelSettings(64))) {
            assertThat(EXPLAINER.applicable(m)).containsExactlyInAnyOrder(Method.ATTENTION, Method.ATTENTION_ROLLOUT);
            for (Method method : List.of(Method.ATTENTION, Method.ATTENTION_ROLLOUT)) {
                Attribution withLayers = EXPLAINER.explain(model(), List.of(s), List.of(new MethodCall(method, Map.of()))).get(0).get(0);
                Attribution without = EXPLAINER.explain(m, List.of(s), List.of(new MethodCall(method, Map.of()))).get(0).get(0);
                assertThat(without.raw().values()).as("%s", method).containsExactly(withLayers.raw().values());
                assertThat(without.map().values()).as("%s", method).containsExactly(withLayers.map().values());
            }
        }
    }
}

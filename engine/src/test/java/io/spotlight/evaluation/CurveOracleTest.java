package io.spotlight.evaluation;

import io.spotlight.events.Faithfulness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.attribution.Attribution;
import io.spotlight.events.Agreement;
import io.spotlight.attribution.Method;
import io.spotlight.attribution.Subject;
import io.spotlight.attribution.Tensor;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelInput;
import io.spotlight.testing.Fixtures;
import io.spotlight.testing.Models;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Deletion and insertion curves and attention-gradient agreement against the oracle
 * tools/export_faithfulness.py computes with PyTorch on the same TorchScript files (fixture
 * {@code faithfulness}): given the oracle's maps, Spotlight must take the units in the same order,
 * remove them the same way and find the same target probabilities, areas and rank statistics.
 */
class CurveOracleTest {

    /** float32 logits of the same rows differ between libtorch and PyTorch in their last bits. */
    private static final double PROBABILITY_TOLERANCE = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {"fashion-cnn", "fashion-cnn-random", "fashion-cnn-shortcut", "fashion-vit", "review-sentiment"})
    void curvesAndAgreementAreThoseOfPyTorch(String name) {
        JsonNode fixture = StreamSupport.stream(Fixtures.load("faithfulness").get("models").spliterator(), false)
                .filter(m -> m.get("model").asText().equals(name)).findFirst().orElseThrow();
        LoadedModel model = name.equals("fashion-cnn-random") ? Models.testModel(name) : Models.shippedModel(name);
        List<Subject> subjects = new ArrayList<>();
        List<List<Attribution>> attributions = new ArrayList<>();
        List<JsonNode> cases = StreamSupport.stream(fixture.get("cases").spliterator(), false).toList();
        for (JsonNode c : cases) {
            ModelInput input = input(model, c);
            subjects.add(new Subject(input, c.get("target").asInt(), 17));
            List<Attribution> mine = new ArrayList<>();
            c.get("methods").properties().forEach(e -> mine.add(attribution(Method.of(e.getKey()), e.getValue(), c)));
            attributions.add(mine);
        }
        List<FaithfulnessCurves.Scored> scored = new FaithfulnessCurves().score(model, subjects, attributions,
                List.of(ScoreCall.of(Score.DELETION), ScoreCall.of(Score.INSERTION)));
        for (int i = 0; i < cases.size(); i++) {
            JsonNode methods = cases.get(i).get("methods");
            for (int a = 0; a < attributions.get(i).size(); a++) {
                String method = attributions.get(i).get(a).method().id();
                for (Score score : List.of(Score.DELETION, Score.INSERTION)) {
                    JsonNode expected = methods.get(method).get(score.id());
                    Faithfulness.Curve curve = scored.get(i).curves().get(a).get(score);
                    String what = name + " case " + i + " " + method + " " + score;
                    assertThat(curve.fractions()).as(what + " fractions").containsExactly(doubles(expected.get("fractions")));
                    assertThat(curve.probabilities()).as(what + " probabilities")
                            .containsExactly(doubles(expected.get("probabilities")), within(PROBABILITY_TOLERANCE));
                    assertThat(curve.auc()).as(what + " area").isCloseTo(expected.get("auc").asDouble(), within(PROBABILITY_TOLERANCE));
                }
            }
            JsonNode agreement = cases.get(i).get("agreement");
            List<Agreement> found = AttentionGradientAgreement.of(model, subjects.get(i).input(), attributions.get(i),
                    AttentionGradientAgreement.resolve(model, Map.of()));
            if (agreement == null) {
                assertThat(found).as(name + ": no attention, no agreement").isEmpty();
                continue;
            }
            assertThat(found).hasSize(1);
            Agreement g = found.get(0);
            assertThat(g.attention()).isEqualTo(agreement.get("attention").asText());
            assertThat(g.gradient()).isEqualTo(agreement.get("gradient").asText());
            assertThat(g.units()).isEqualTo(agreement.get("units").asInt());
            assertThat(g.k()).isEqualTo(agreement.get("k").asInt());
            assertThat(g.spearman()).as(name + " case " + i + " Spearman (scipy)").isCloseTo(agreement.get("spearman").asDouble(), within(1e-9));
            assertThat(g.topKOverlap()).as(name + " case " + i + " top-k overlap").isEqualTo(agreement.get("top_k_overlap").asDouble());
        }
    }

    private static ModelInput input(LoadedModel model, JsonNode c) {
        if (c.has("text")) {
            var encoding = model.tokenizer().encode(c.get("text").asText());
            long[] ids = StreamSupport.stream(c.get("ids").spliterator(), false).mapToLong(JsonNode::asLong).toArray();
            assertThat(encoding.ids()).as("the oracle's token ids").containsExactly(ids);
            return new ModelInput.Tokens(encoding);
        }
        Tensor x = Fixtures.tensor(c.get("input"));
        return new ModelInput.Dense(x.values(), x.shape());
    }

    /** The oracle's map as an attribution; an attention rollout also gets its matrix (the agreement reads its CLS row). */
    private static Attribution attribution(Method method, JsonNode entry, JsonNode c) {
        Tensor map = Fixtures.tensor(entry.get("map"));
        Tensor raw = method == Method.ATTENTION_ROLLOUT ? Fixtures.tensor(c.get("rollout")) : map;
        return new Attribution(method, Map.of(), raw, map, null, Map.of(), Map.of(), 0);
    }

    private static double[] doubles(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).mapToDouble(JsonNode::asDouble).toArray();
    }
}

package io.spotlight.explanation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.containment.RecordLimits;
import io.spotlight.events.ExplanationEvent.MethodResult;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Json;
import io.spotlight.events.PredictionEvent;
import io.spotlight.events.SchemaValidator;
import io.spotlight.model.ModelRegistry;
import io.spotlight.sampling.SamplingDecision;
import io.spotlight.sampling.SamplingReason;
import io.spotlight.testing.Models;
import io.spotlight.testing.SampleImages;
import io.spotlight.testing.TestEvents;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Explanation events of the shipped models with their scores: curves on the scored share, agreement
 * where both maps are. The models are the JVM's shared ones (io.spotlight.testing.Models), so the
 * registry is not closed here.
 */
class ScoredExplanationTest {

    static final ModelRegistry REGISTRY = new ModelRegistry(List.of(Models.shippedModel("fashion-cnn"), Models.shippedModel("fashion-vit"),
            Models.shippedModel("review-sentiment")));
    static final SamplingDecision LOW_CONFIDENCE = new SamplingDecision(List.of(SamplingReason.LOW_CONFIDENCE), 0.4, 0.05, null);

    static ExplainRequest request(String id, String model, int sample) throws Exception {
        ObjectNode e = model.equals("review-sentiment")
                ? TestEvents.base(id, model, "1", new double[] {0.55, 0.45})
                : TestEvents.base(id, model, "1", TestEvents.lowConfidence());
        if (model.equals("review-sentiment")) {
            e.putObject("input").put("kind", "text").put("text", "the zipper was not good and the seller never answered " + sample);
        } else {
            e.putObject("input").put("kind", "image").put("format", "png")
                    .put("data", Base64.getEncoder().encodeToString(TestEvents.png(SampleImages.raw(sample))));
        }
        return new ExplainRequest(Json.MAPPER.treeToValue(e, PredictionEvent.class), LOW_CONFIDENCE);
    }

    static List<ExplanationEvent> explain(Map<String, String> settings, List<ExplainRequest> requests) {
        ExplanationService service = ExplanationService.of(SpotlightConfig.defaults().with(settings), REGISTRY, Clock.systemUTC(),
                RecordLimits.KAFKA_DEFAULT.maxValueBytes(null));
        return service.explain(requests).stream().map(o -> ((Outcome.Explained) o).event()).toList();
    }

    @Test
    void scoredExplanationsCarryEveryMapsCurvesAndAgreementWhereAttentionAndGradientsMeet() throws Exception {
        List<ExplainRequest> requests = List.of(request("p-cnn", "fashion-cnn", 0), request("p-vit", "fashion-vit", 1),
                request("p-text", "review-sentiment", 2));
        List<ExplanationEvent> events = explain(Map.of("faithfulness.share", "1"), requests);
        for (ExplanationEvent e : events) {
            assertThat(SchemaValidator.of(SchemaValidator.EXPLANATION).violations(Json.tree(e))).as(e.model().id()).isEmpty();
            assertThat(e.explanations()).hasSize(2).allSatisfy(m -> {
                assertThat(m.faithfulness().deletion().fractions()).hasSize(11).startsWith(0.0).endsWith(1.0);
                assertThat(m.faithfulness().insertion().probabilities()).hasSize(11);
                assertThat(m.faithfulness().deletion().parameters()).containsEntry("steps", 10).containsKey("seed");
                assertThat(m.faithfulness().elapsedMs()).isPositive();
            });
        }
        assertThat(events.get(0).explanations().get(0).faithfulness().deletion().units()).as("pixels").isEqualTo(784);
        assertThat(events.get(0).explanations().get(0).faithfulness().deletion().parameters()).containsEntry("removal", "blur");
        assertThat(events.get(2).explanations().get(0).faithfulness().deletion().parameters()).containsEntry("removal", "pad");
        assertThat(events.get(0).agreement()).as("a CNN has no attention").isNull();
        assertThat(events.get(1).agreement()).singleElement().satisfies(a -> {
            assertThat(a.attention()).isEqualTo("attention-rollout");
            assertThat(a.gradient()).isEqualTo("integrated-gradients");
            assertThat(a.units()).as("patches").isEqualTo(16);
        });
        assertThat(events.get(2).agreement()).singleElement().satisfies(a -> {
            assertThat(a.attention()).isEqualTo("attention");
            assertThat(a.gradient()).isEqualTo("layer-integrated-gradients");
            assertThat(a.units()).as("words").isEqualTo(11);
        });
        assertThat(explain(Map.of("faithfulness.share", "0"), requests)).allSatisfy(e ->
                assertThat(e.explanations()).allSatisfy(m -> assertThat(m.faithfulness()).isNull()));
    }

    @Test
    void aRecordsCurvesAreTheSameBitsAloneAndInABatch() throws Exception {
        List<ExplainRequest> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batch.add(request("p-" + i, "fashion-cnn", i));
        }
        Map<String, String> all = Map.of("faithfulness.share", "1");
        List<ExplanationEvent> together = explain(all, batch);
        for (int i : new int[] {0, 5}) {
            ExplanationEvent alone = explain(all, List.of(batch.get(i))).get(0);
            for (int m = 0; m < alone.explanations().size(); m++) {
                MethodResult a = alone.explanations().get(m);
                MethodResult b = together.get(i).explanations().get(m);
                assertThat(a.faithfulness().deletion().probabilities()).isEqualTo(b.faithfulness().deletion().probabilities());
                assertThat(a.faithfulness().insertion().randomProbabilities()).isEqualTo(b.faithfulness().insertion().randomProbabilities());
            }
        }
    }

    @Test
    void theScoredShareIsDrawnFromTheRecordsSeedAndSettingsAreChecked() {
        ScorePlan plan = new ScorePlan(0.1, Map.of());
        long scored = LongStream.range(0, 20_000).filter(plan::scores).count();
        // Binomial(20000, 0.1): standard deviation 42.
        assertThat(scored).isBetween(2000L - 170, 2000L + 170);
        assertThat(plan.scores(12345)).isEqualTo(plan.scores(12345));
        assertThatThrownBy(() -> new ScorePlan(0.1, Map.of("deletion.stepz", "5")))
                .hasMessage("explain.score.deletion.stepz: deletion has no parameter stepz; it takes [steps, removal, blur-kernel, blur-sigma, random-orderings, chunk]");
        assertThatThrownBy(() -> new ScorePlan(0.1, Map.of("fashion-cnn.insertion.removal", "erase")))
                .hasMessageStartingWith("explain.score.fashion-cnn.insertion.removal: parameter removal must be one of [blur, pad, unknown]");
        assertThatThrownBy(() -> new ScorePlan(1.5, Map.of())).hasMessageContaining("faithfulness.share must be in [0, 1]");
        assertThat(plan.curves(Models.shippedModel("fashion-cnn").card())).hasSize(2);
    }
}

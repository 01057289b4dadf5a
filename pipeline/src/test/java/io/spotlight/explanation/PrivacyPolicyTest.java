package io.spotlight.explanation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Json;
import io.spotlight.events.Label;
import io.spotlight.events.MisclassificationEvent;
import io.spotlight.events.PredictionEvent;
import io.spotlight.events.SchemaValidator;
import io.spotlight.model.ModelRegistry;
import io.spotlight.sampling.SamplingDecision;
import io.spotlight.sampling.SamplingReason;
import io.spotlight.testing.Models;
import io.spotlight.testing.TestEvents;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import io.spotlight.containment.RecordLimits;

/** What of a prediction reaches the published events: the text model's real explanations, with and without the privacy settings. */
class PrivacyPolicyTest {

    static final ModelRegistry REGISTRY = new ModelRegistry(List.of(Models.shippedModel("review-sentiment")));
    static final String TEXT = "my order from quillfeather arrived broken and the seller never answered";

    @AfterAll
    static void close() {
        REGISTRY.close();
    }

    static PredictionEvent review() throws Exception {
        ObjectNode e = TestEvents.base("pred-private", "review-sentiment", "1", new double[] {0.55, 0.45});
        e.putObject("input").put("kind", "text").put("text", TEXT);
        ObjectNode a = e.putObject("attributes");
        a.put("user_id", "u-1").put("contact_email", "ann@example.com").put("source", "shop");
        a.putObject("customer").put("name", "Ann").put("tier", "gold");
        return Json.MAPPER.treeToValue(e, PredictionEvent.class);
    }

    static ExplanationEvent explain(Map<String, String> settings) throws Exception {
        ExplanationService service = ExplanationService.of(SpotlightConfig.defaults().with(settings), REGISTRY, Clock.systemUTC(), RecordLimits.KAFKA_DEFAULT.maxValueBytes(null));
        Outcome o = service.explain(List.of(new ExplainRequest(review(), new SamplingDecision(List.of(SamplingReason.BASELINE), 1, 1, null)))).get(0);
        return ((Outcome.Explained) o).event();
    }

    @Test
    void byDefaultTheTextIsNotCopiedButTheAnalysisIs() throws Exception {
        ExplanationEvent e = explain(Map.of());
        String published = Json.text(e);
        assertThat(e.explanations()).isNotEmpty().allSatisfy(m -> assertThat(m.tokens()).isNull());
        assertThat(published).doesNotContain("\"tokens\"").doesNotContain(TEXT).doesNotContain("arrived broken");
        assertThat(e.focus().tokenMass()).as("focus statistics name the attended tokens").isNotEmpty();
        assertThat(SchemaValidator.of(SchemaValidator.EXPLANATION).violations(Json.tree(e))).isEmpty();
        assertThat(e.attributes()).as("no drop list: attributes as published upstream").containsKeys("user_id", "contact_email", "customer");
    }

    @Test
    void tokensAreCopiedWhereConfiguredEverywhereOrForOneModel() throws Exception {
        assertThat(explain(Map.of("privacy.include-tokens", "true")).explanations()).allSatisfy(m -> assertThat(m.tokens()).startsWith("[CLS]"));
        assertThat(explain(Map.of("privacy.review-sentiment.include-tokens", "true")).explanations()).allSatisfy(m -> assertThat(m.tokens()).isNotEmpty());
        assertThat(explain(Map.of("privacy.include-tokens", "true", "privacy.review-sentiment.include-tokens", "false")).explanations())
                .allSatisfy(m -> assertThat(m.tokens()).isNull());
    }

    @Test
    void attributesOnTheDropListsAreNotPublished() throws Exception {
        PredictionEvent prediction = review();
        ExplanationEvent e = explain(Map.of("privacy.drop-attributes", "user_id, *email*", "privacy.review-sentiment.drop-attributes", "customer.name"));
        assertThat(Json.tree(e.attributes())).isEqualTo(Json.MAPPER.readTree("{\"source\":\"shop\",\"customer\":{\"tier\":\"gold\"}}"));
        assertThat(Json.text(e)).doesNotContain("ann@example.com").doesNotContain("u-1");
        assertThat(prediction.attributes()).containsKeys("user_id", "contact_email");
        assertThat(explain(Map.of("privacy.fashion-cnn.drop-attributes", "source")).attributes()).as("another model's list").containsKey("source");
    }

    @Test
    void misclassificationAnalysesKeepTheTextPrivateToo() throws Exception {
        ExplanationService service = ExplanationService.of(SpotlightConfig.defaults(), REGISTRY, Clock.systemUTC(), RecordLimits.KAFKA_DEFAULT.maxValueBytes(null));
        Outcome o = service.explain(List.of(ExplainRequest.misclassified(review(), null, new Label("pred-private", 1, Instant.now(), "test")))).get(0);
        MisclassificationEvent m = ((Outcome.Analysed) o).event();
        assertThat(m.predictedExplanations()).allSatisfy(r -> assertThat(r.tokens()).isNull());
        assertThat(m.trueExplanations()).allSatisfy(r -> assertThat(r.tokens()).isNull());
        assertThat(Json.text(m)).doesNotContain("\"tokens\"");
    }
}

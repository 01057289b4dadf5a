package io.spotlight.explanation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.containment.RecordLimits;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Json;
import io.spotlight.events.PredictionEvent;
import io.spotlight.model.ModelRegistry;
import io.spotlight.model.Png;
import io.spotlight.sampling.SamplingDecision;
import io.spotlight.sampling.SamplingReason;
import io.spotlight.testing.Models;
import io.spotlight.testing.TestEvents;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * An explanation always fits in one record: a 512 x 512 saliency map (1.4 MB as base64) is
 * coarsened, by area means, until the event fits; long attribute values are cut.
 */
class EventSizeTest {

    final ModelRegistry registry = new ModelRegistry(List.of(Models.testModel("wide-probe")));

    static byte[] gradient512() {
        BufferedImage img = new BufferedImage(512, 512, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 512; y++) {
            for (int x = 0; x < 512; x++) {
                img.getRaster().setSample(x, y, 0, (x + y) / 4);
            }
        }
        return Png.encode(img);
    }

    static ExplainRequest request(String attribute) {
        ObjectNode e = TestEvents.base("wide-1", "wide-probe", "1", new double[] {0.4, 0.35, 0.25});
        e.putObject("input").put("kind", "image").put("format", "png").put("data", Base64.getEncoder().encodeToString(gradient512()));
        e.putObject("attributes").put("note", attribute);
        return new ExplainRequest(Json.read(TestEvents.bytes(e), PredictionEvent.class),
                new SamplingDecision(List.of(SamplingReason.LOW_CONFIDENCE), 0.4, 0.05, null));
    }

    ExplanationEvent explain(int maxEventBytes, String attribute) {
        ExplanationService service = ExplanationService.of(SpotlightConfig.defaults(), registry, Clock.systemUTC(), maxEventBytes);
        Outcome outcome = service.explain(List.of(request(attribute))).get(0);
        assertThat(outcome).isInstanceOf(Outcome.Explained.class);
        return ((Outcome.Explained) outcome).event();
    }

    @Test
    void aMapTooLargeForOneRecordIsCoarsenedUntilTheEventFits() {
        int budget = RecordLimits.KAFKA_DEFAULT.maxValueBytes(null);
        ExplanationEvent full = explain(16 * 1024 * 1024, "x");
        ExplanationEvent fitted = explain(budget, "x");

        assertThat(full.explanations().get(0).map().shape()).containsExactly(512, 512);
        assertThat(Json.bytes(full).length).as("the whole map would not fit").isGreaterThan(budget);
        assertThat(fitted.explanations().get(0).map().shape()).containsExactly(256, 256);
        assertThat(Json.bytes(fitted).length).isLessThanOrEqualTo(budget);
        // Area means: every coarse cell is the mean of the four it covers.
        float[] a = full.explanations().get(0).map().values();
        float[] b = fitted.explanations().get(0).map().values();
        assertThat(b[10 * 256 + 20]).isCloseTo((a[20 * 512 + 40] + a[20 * 512 + 41] + a[21 * 512 + 40] + a[21 * 512 + 41]) / 4,
                Offset.offset(1e-9f));
        assertThat(fitted.digest()).as("the digest is of the maps as published").isNotEqualTo(full.digest());
    }

    @Test
    void longAttributeValuesAreCut() {
        ExplanationEvent e = explain(16 * 1024 * 1024, "y".repeat(100_000));
        assertThat((String) e.attributes().get("note")).hasSize(ExplanationService.MAX_ATTRIBUTE_CHARS + 3).endsWith("...");
    }
}

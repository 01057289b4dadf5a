package io.spotlight.focus;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.events.EncodedMap;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.ModelRef;
import io.spotlight.events.ReferenceFile;
import io.spotlight.testing.Models;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReferenceBuilderTest {

    final FocusSettings settings = FocusSettings.of(Models.shippedModel("fashion-cnn").card());

    ExplanationEvent event(String id, int cls, String method, float value) {
        return event("fashion-cnn", id, cls, method, value);
    }

    ExplanationEvent event(String model, String id, int cls, String method, float value) {
        float[] map = new float[28 * 28];
        Arrays.fill(map, value);
        map[0] = 10 * value;
        Instant at = Instant.parse("2026-11-24T10:00:00Z");
        var ref = new ExplanationEvent.ClassRef(cls, "c", 0.5);
        return new ExplanationEvent("expl-" + id, id, new ModelRef(model, "1"), at, at,
                new ExplanationEvent.Sampling("baseline", List.of("baseline"), 0.9, 0.5), ref, ref,
                List.of(new ExplanationEvent.MethodResult(method, Map.of(), EncodedMap.of(map, 28, 28), null, Map.of(), 1.0)),
                FocusCalculator.image(method, map, 28, 28, settings), null,
                new ExplanationEvent.EngineInfo("PyTorch", "2.7.1", "0.36.0", "cpu()", "test"), "sha256:" + "0".repeat(64));
    }

    @Test
    void theReferenceDescribesTheMethodMostExplanationsUsedWhateverCameFirst() {
        ReferenceBuilder b = new ReferenceBuilder("fashion-cnn", null, 100);
        assertThat(b.add(event("flagged", 0, "grad-cam-plus-plus", 1))).isTrue();
        for (int i = 0; i < 3; i++) {
            b.add(event("p-" + i, i % 2, "grad-cam", 1));
        }
        assertThat(b.add(event("fashion-vit", "other", 0, "grad-cam", 1))).isFalse();
        assertThat(b.count()).isEqualTo(3);
        ReferenceFile ref = b.build("test", Instant.EPOCH);
        assertThat(ref.method()).isEqualTo("grad-cam");
        assertThat(ref.classes().get(ReferenceFile.ALL).count()).isEqualTo(3);
        assertThat(ref.classes().get("0").count()).isEqualTo(2);
        assertThat(ref.classes().get("1").count()).isEqualTo(1);
    }
}

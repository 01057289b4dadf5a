package io.spotlight.explanation;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.events.EncodedMap;
import io.spotlight.events.ExplanationEvent.MethodResult;
import io.spotlight.events.ModelRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DigestsTest {

    static MethodResult result(String method, Map<String, Object> params, float... map) {
        return new MethodResult(method, params, EncodedMap.of(map, map.length), null, Map.of(), 1.0);
    }

    @Test
    void theDigestCoversMethodShapeAndEveryBitButNotTiming() {
        String d = Digests.mapDigest(List.of(result("grad-cam", Map.of(), 0.1f, 0.2f)));
        assertThat(d).matches("sha256:[0-9a-f]{64}");
        assertThat(Digests.mapDigest(List.of(result("grad-cam", Map.of(), 0.1f, 0.2f)))).isEqualTo(d);
        assertThat(Digests.mapDigest(List.of(result("grad-cam", Map.of(), 0.1f, Math.nextUp(0.2f))))).isNotEqualTo(d);
        assertThat(Digests.mapDigest(List.of(result("saliency", Map.of(), 0.1f, 0.2f)))).isNotEqualTo(d);
        MethodResult slow = new MethodResult("grad-cam", Map.of(), EncodedMap.of(new float[] {0.1f, 0.2f}, 2), null, Map.of(), 99);
        assertThat(Digests.mapDigest(List.of(slow))).isEqualTo(d);
    }

    @Test
    void theIdNamesPredictionVersionMethodsAndParameters() {
        ModelRef v1 = new ModelRef("m", "1");
        String id = Digests.explanationId("p", v1, List.of(result("integrated-gradients", Map.of("steps", 50), 1f)));
        assertThat(Digests.explanationId("p", v1, List.of(result("integrated-gradients", Map.of("steps", 50), 2f)))).isEqualTo(id);
        assertThat(Digests.explanationId("p", v1, List.of(result("integrated-gradients", Map.of("steps", 32), 1f)))).isNotEqualTo(id);
        assertThat(Digests.explanationId("p", new ModelRef("m", "2"), List.of(result("integrated-gradients", Map.of("steps", 50), 1f)))).isNotEqualTo(id);
        // The same request explained in another batch: other pass shapes (other last bits), the same explanation.
        assertThat(Digests.explanationId("p", v1, List.of(result("integrated-gradients", Map.of("steps", 50, "passes", "16:52"), 1f))))
                .isEqualTo(Digests.explanationId("p", v1, List.of(result("integrated-gradients", Map.of("steps", 50, "passes", "1:52"), 1f))))
                .isEqualTo(id);
        assertThat(Digests.recordSeed("p", v1)).isEqualTo(Digests.recordSeed("p", v1)).isNotEqualTo(Digests.recordSeed("q", v1));
    }
}

package io.spotlight.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.events.EncodedMap;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.ModelRef;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    static ExplanationEvent event(String predictionId, float... map) {
        Instant at = Instant.parse("2026-11-24T10:00:00Z");
        var ref = new ExplanationEvent.ClassRef(0, "c", 0.5);
        return new ExplanationEvent("expl-" + predictionId, predictionId, new ModelRef("fashion-cnn", "1"), at, at,
                new ExplanationEvent.Sampling("baseline", List.of("baseline"), 0.9, 0.5), ref, ref,
                List.of(new ExplanationEvent.MethodResult("grad-cam", Map.of(), EncodedMap.of(map, 2, 2), null, Map.of(), 1.0)),
                null, null, new ExplanationEvent.EngineInfo("PyTorch", "2.7.1", "0.36.0", "cpu()", "test"), "sha256:" + "0".repeat(64));
    }

    @Test
    void idsThatMakeTheSameFileNameGetTheirOwnFigures(@TempDir Path dir) {
        ReportWriter writer = new ReportWriter(dir);
        String first = writer.draw("a:b", event("a:b", 1, 2, 3, 4), event("a:b", 1, 2, 3, 5));
        String second = writer.draw("a/b", event("a/b", 1, 2, 3, 4), event("a/b", 4, 3, 2, 1));
        assertThat(first).isEqualTo("pictures/a_b.png");
        assertThat(second).isEqualTo("pictures/a_b-2.png");
        assertThat(dir.resolve(first)).exists();
        assertThat(dir.resolve(second)).exists();
    }
}

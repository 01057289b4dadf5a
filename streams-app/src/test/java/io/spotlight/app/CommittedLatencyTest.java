package io.spotlight.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spotlight.metrics.SpotlightMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A committed explanation counts the time from its prediction's timestamp to when it is seen, in its model's histogram; anything else is skipped. */
class CommittedLatencyTest {

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SpotlightMetrics metrics = new SpotlightMetrics(registry);

    static byte[] explanation(String model, String predicted) {
        return ("{\"id\":\"e-1\",\"prediction_timestamp\":\"" + predicted + "\",\"model\":{\"id\":\"" + model + "\",\"version\":\"1\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    Timer timer(String model) {
        return Search.in(registry).name("spotlight.explanation.latency").tag("model", model).timer();
    }

    @Test
    void theTimeFromThePredictionToTheCommitGoesToTheModelsHistogram() {
        Instant now = Instant.parse("2026-01-01T00:00:01.250Z");
        CommittedLatency.record(metrics, explanation("fashion-cnn", "2026-01-01T00:00:01Z"), now);
        CommittedLatency.record(metrics, explanation("review-sentiment", "2026-01-01T00:00:00Z"), now);
        assertThat(timer("fashion-cnn").count()).isEqualTo(1);
        assertThat(timer("fashion-cnn").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250);
        assertThat(timer("review-sentiment").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1250);
    }

    @Test
    void aRecordThatIsNoExplanationIsSkipped() {
        CommittedLatency.record(metrics, "not json".getBytes(StandardCharsets.UTF_8), Instant.now());
        CommittedLatency.record(metrics, "{\"model\":{\"id\":\"m\"}}".getBytes(StandardCharsets.UTF_8), Instant.now());
        assertThat(Search.in(registry).name("spotlight.explanation.latency").timers()).isEmpty();
    }
}

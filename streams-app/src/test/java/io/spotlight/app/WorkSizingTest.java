package io.spotlight.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spotlight.config.SpotlightConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The work of a transaction and a poll sized at start-up from the warm-up's time per record: a batch
 * within half of transaction.timeout.ms (30 s by default), lowered on a slow host; refused when one
 * record, or a poll's records, cannot fit.
 */
class WorkSizingTest {

    @TempDir
    Path state;

    SpotlightConfig config(Map<String, String> settings) {
        return SpotlightConfig.defaults().with(Map.of("state.dir", state.toString())).with(settings);
    }

    int batch(SpotlightConfig c, double msPerRecord) {
        return WorkSizing.batchSize(StreamsSettings.of(c, Map.of()), c, Map.of("fashion-cnn:1", msPerRecord, "review-sentiment:1", 5.0));
    }

    @Test
    void aBatchThatFitsKeepsItsSize() {
        // 16 records x 2 (an analysis) x 100 ms = 3.2 s, within 15 s.
        assertThat(batch(config(Map.of()), 100)).isEqualTo(16);
    }

    @Test
    void aBatchTooSlowForTheTransactionIsLoweredToWhatFits() {
        // 2 x 1000 ms a record: 7 records in 15 s.
        assertThat(batch(config(Map.of()), 1000)).isEqualTo(7);
        assertThat(batch(config(Map.of("kafka.producer.transaction.timeout.ms", "60000")), 1000)).isEqualTo(15);
    }

    @Test
    void oneRecordThatCannotFitInATransactionIsRefusedWithTheSettingsToChange() {
        assertThatThrownBy(() -> batch(config(Map.of()), 8000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("one record may take 16000 ms").hasMessageContaining("kafka.producer.transaction.timeout.ms");
    }

    @Test
    void aPollThatCannotFitInItsIntervalIsRefused() {
        assertThatThrownBy(() -> batch(config(Map.of("explain.max-poll-interval-ms", "60000")), 1000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a poll of 64 records may take 128000 ms").hasMessageContaining("explain.max-poll-interval-ms");
    }
}

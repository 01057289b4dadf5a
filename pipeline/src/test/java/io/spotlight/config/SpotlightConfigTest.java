package io.spotlight.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpotlightConfigTest {

    @Test
    void fileThenEnvironmentThenOverrides(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spotlight.properties");
        Files.writeString(file, "sampling.baseline-rate=0.2\nbootstrap.servers=file:9092\nkafka.num.stream.threads=2\n");
        SpotlightConfig c = SpotlightConfig.load(file,
                Map.of("SPOTLIGHT_BOOTSTRAP_SERVERS", "env:9092", "SPOTLIGHT_SAMPLING_BASELINE_RATE", "0.3", "HOME", "/root"),
                Map.of("sampling.baseline-rate", "0.4"));
        assertThat(c.get("bootstrap.servers")).isEqualTo("env:9092");
        assertThat(c.real("sampling.baseline-rate")).isEqualTo(0.4);
        assertThat(c.withPrefix("kafka.")).containsEntry("num.stream.threads", "2");
        assertThat(c.get("application.id")).isEqualTo("spotlight");
    }

    @Test
    void environmentNamesMapBackToKeysWithDashes() {
        assertThat(SpotlightConfig.keyOf("SPOTLIGHT_EXPLAIN_BATCH_SIZE")).isEqualTo("explain.batch-size");
        assertThat(SpotlightConfig.keyOf("SPOTLIGHT_KAFKA_COMMIT_INTERVAL_MS")).isEqualTo("kafka.commit.interval.ms");
    }

    @Test
    void theLaunchersAndLoggingsVariablesAreNotSettings() {
        SpotlightConfig c = SpotlightConfig.load(null, Map.of("SPOTLIGHT_JAVA_OPTS", "-Xmx2g", "SPOTLIGHT_LOG_LEVEL", "DEBUG",
                "SPOTLIGHT_EXPLAIN_BATCH_SIZE", "8"), Map.of());
        assertThat(c.integer("explain.batch-size")).isEqualTo(8);
    }

    @Test
    void variablesThatCannotSpellADashedKeyAreRefusedNotMisread() {
        assertThatThrownBy(() -> SpotlightConfig.load(null, Map.of("SPOTLIGHT_EXPLAIN_PLAN_FASHION_CNN_LOW_CONFIDENCE", "grad-cam"), Map.of()))
                .hasMessageContaining("SPOTLIGHT_EXPLAIN_PLAN_FASHION_CNN_LOW_CONFIDENCE").hasMessageContaining("--set");
        assertThatThrownBy(() -> SpotlightConfig.load(null, Map.of("SPOTLIGHT_SAMPLING_BASELINE_RAT", "0.1"), Map.of()))
                .hasMessageContaining("names no setting");
    }

    @Test
    void unknownKeysAndBadNumbersAreErrors() {
        assertThatThrownBy(() -> SpotlightConfig.load(null, Map.of(), Map.of("sampling.baseline_rate", "0.1")))
                .hasMessageContaining("unknown setting 'sampling.baseline_rate'");
        assertThat(SpotlightConfig.defaults().with(Map.of("alerts.fashion-cnn.forbidden-mass-threshold", "0.1", "alerts.fashion-cnn.windows", "3"))
                .real("alerts.fashion-cnn.forbidden-mass-threshold")).isEqualTo(0.1);
        assertThatThrownBy(() -> SpotlightConfig.defaults().with(Map.of("alerts.fashion-cnn.forbiden-mass-threshold", "0.1")))
                .hasMessageContaining("unknown setting");
        SpotlightConfig c = SpotlightConfig.defaults().with(Map.of("explain.batch-size", "many"));
        assertThatThrownBy(() -> c.integer("explain.batch-size")).hasMessageContaining("must be an integer");
    }

    @Test
    void everySettingHasADefaultAndADescription() {
        assertThat(SpotlightConfig.SETTINGS).allSatisfy(s -> {
            assertThat(s.description()).isNotBlank();
            assertThat(s.defaultValue()).isNotNull();
        });
    }
}

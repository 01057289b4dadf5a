package io.spotlight.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.testing.InProcessBroker;
import io.spotlight.testing.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A restart on a state directory that holds the last warm-up's times starts its stream without
 * waiting for its own warm-up, and still refuses a configuration whose batches cannot fit: at once
 * when the last times already say so, or as soon as its own warm-up finds it (the explain stage has
 * explained nothing meanwhile). On the real broker, with the shipped models.
 */
class RestartSizingIT {

    @RegisterExtension
    static final InProcessBroker kafka = new InProcessBroker();
    static final Set<String> SHIPPED = Set.of("fashion-cnn:1", "fashion-cnn:2-shortcut", "fashion-vit:1", "review-sentiment:1");

    SpotlightConfig config(Path state, Map<String, String> more) {
        return SpotlightConfig.load(null, Map.of(), Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "application.id", "restart-sizing-" + state.getFileName(),
                "models.registry", Repository.root().resolve("models/registry.json").toString(),
                "metrics.port", "0",
                "web.enabled", "false",
                "state.dir", state.toString())).with(more);
    }

    static Map<String, Double> times(double ms) {
        return SHIPPED.stream().collect(Collectors.toMap(ref -> ref, ref -> ms));
    }

    @Test
    void lastTimesThatCannotFitATransactionAreRefusedBeforeTheStreamStarts() throws Exception {
        Path state = Files.createTempDirectory("refused");
        SpotlightConfig config = config(state, Map.of());
        LastWarmup.write(state, times(20_000), LastWarmup.plans(config));
        assertThatThrownBy(() -> SpotlightApplication.start(config, SpotlightMetrics.prometheus()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("one record may take 40000 ms").hasMessageContaining("kafka.producer.transaction.timeout.ms");
    }

    @Test
    void aRestartRunsBeforeItsWarmUpEndsThenKeepsTheTimesItMeasured() throws Exception {
        Path state = Files.createTempDirectory("restart");
        SpotlightConfig config = config(state, Map.of());
        double sentinel = 0.001234;
        LastWarmup.write(state, times(sentinel), LastWarmup.plans(config));
        try (SpotlightApplication app = SpotlightApplication.start(config, SpotlightMetrics.prometheus())) {
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).as("streams running").isTrue();
            await().atMost(Duration.ofSeconds(60)).until(() -> LastWarmup.read(state, SHIPPED, LastWarmup.plans(config))
                    .map(t -> !t.containsValue(sentinel)).orElse(false));
            assertThat(app.failure()).isNull();
            assertThat(app.health().up()).isTrue();
        }
    }

    @Test
    void aWarmUpThatFindsTheBatchesCannotFitStopsTheInstanceItStarted() throws Exception {
        Path state = Files.createTempDirectory("slower");
        // Last time this host explained a record in a microsecond; now it takes far more than 100 ms / 2 allow.
        SpotlightConfig config = config(state, Map.of("kafka.producer.transaction.timeout.ms", "100"));
        LastWarmup.write(state, times(0.001), LastWarmup.plans(config));
        try (SpotlightApplication app = SpotlightApplication.start(config, SpotlightMetrics.prometheus())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> app.failure() != null);
            assertThat(app.failure()).isInstanceOf(IllegalStateException.class).hasMessageContaining("transaction.timeout.ms");
            assertThat(app.health().up()).isFalse();
        }
    }
}

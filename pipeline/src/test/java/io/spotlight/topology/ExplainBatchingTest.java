package io.spotlight.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.model.ModelRegistry;
import io.spotlight.testing.Models;
import io.spotlight.testing.TopologyDrivers;
import io.spotlight.testing.TestEvents;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a partial batch goes: as soon as the input has been idle for explain.idle-ms (a lone record
 * does not wait for explain.linger-ms), and while requests keep arriving closer together than
 * that, at the latest after explain.linger-ms, all together. Wall-clock time is the driver's.
 */
class ExplainBatchingTest {

    @TempDir
    Path stateDir;

    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> predictions;
    TestOutputTopic<String, String> explanations;

    @BeforeEach
    void start() {
        SpotlightConfig config = SpotlightConfig.defaults().with(Map.of("sampling.baseline-rate", "0", "explain.batch-size", "32",
                "explain.linger-ms", "200", "explain.idle-ms", "10", "explain.plan.default.low-confidence", "grad-cam"));
        ModelRegistry registry = new ModelRegistry(List.of(Models.shippedModel("fashion-cnn")));
        Topics topics = Topics.from(config);
        var stages = SpotlightTopology.Stages.of(config, registry, new SpotlightMetrics(new SimpleMeterRegistry()), Clock.systemUTC(),
                source -> Optional.empty());
        var topology = SpotlightTopology.build(topics, Role.ALL, stages);
        driver = TopologyDrivers.of(topology, stages, "spotlight-batching-test", stateDir);
        predictions = driver.createInputTopic(topics.predictions(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        explanations = driver.createOutputTopic(topics.explanations(), Serdes.String().deserializer(), Serdes.String().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    void send(String id) {
        predictions.pipeInput(id, TestEvents.bytes(TestEvents.image(id, 0, TestEvents.lowConfidence(), List.of())));
    }

    @Test
    void aLoneRecordGoesAsSoonAsTheInputIsIdle() {
        send("alone");
        driver.advanceWallClockTime(Duration.ofMillis(9));
        assertThat(explanations.isEmpty()).as("the input may still bring more").isTrue();
        driver.advanceWallClockTime(Duration.ofMillis(2));
        assertThat(explanations.readValuesToList()).as("idle for 10 ms, long before the 200 ms linger").hasSize(1);
    }

    @Test
    void recordsArrivingCloserThanTheIdleTimeGoTogetherAfterTheLinger() {
        for (int i = 0; i < 24; i++) {
            send("r-" + i);
            driver.advanceWallClockTime(Duration.ofMillis(8));
            assertThat(explanations.isEmpty()).as("after %d ms", 8 * (i + 1)).isTrue();
        }
        send("r-24");
        driver.advanceWallClockTime(Duration.ofMillis(8));
        assertThat(explanations.readValuesToList()).as("200 ms after the first: all together").hasSize(25);
        send("late");
        driver.advanceWallClockTime(Duration.ofMillis(11));
        assertThat(explanations.readValuesToList()).hasSize(1);
    }

    @Test
    void anIdleTimeBelowOneMillisecondIsRefusedByName() {
        assertThatThrownBy(() -> ExplainSettings.of(SpotlightConfig.defaults().with(Map.of("explain.idle-ms", "0")), BatchSize.of(16)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("explain.idle-ms must be at least 1, got 0");
    }
}

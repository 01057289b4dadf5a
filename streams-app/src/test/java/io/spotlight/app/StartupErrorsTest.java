package io.spotlight.app;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.events.Json;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.testing.Repository;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up errors name what they are about. The metrics port is taken before anything touches the
 * cluster: with no broker at bootstrap.servers, a clash must still be reported as the port's (had
 * topic creation come first, it would fail on the missing broker instead).
 */
class StartupErrorsTest {

    @TempDir
    Path dir;

    @Test
    void aTakenMetricsPortIsReportedBeforeTopicsAreCreated() throws Exception {
        Path registry = dir.resolve("registry.json");
        Files.writeString(registry, Json.MAPPER.writeValueAsString(Map.of("models", List.of(Map.of("card",
                Repository.root().resolve("engine/src/test/resources/models/linear-probe/model.json").toString(), "chunk", 4)))));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SpotlightConfig config = SpotlightConfig.load(null, Map.of(), Map.of(
                    "bootstrap.servers", "127.0.0.1:1",
                    "models.registry", registry.toString(),
                    "metrics.port", Integer.toString(taken.getLocalPort()),
                    "kafka.default.api.timeout.ms", "2000",
                    "state.dir", dir.resolve("state").toString()));
            assertThatThrownBy(() -> SpotlightApplication.start(config, SpotlightMetrics.prometheus()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort()).hasMessageContaining("metrics.port");
        }
    }

    @Test
    void aMissingRegistryIsNamedWithItsSetting() {
        SpotlightConfig config = SpotlightConfig.load(null, Map.of(), Map.of("models.registry", dir.resolve("nowhere.json").toString(),
                "metrics.port", "0"));
        assertThatThrownBy(() -> SpotlightApplication.start(config, SpotlightMetrics.prometheus()))
                .hasMessageContaining("nowhere.json").hasMessageContaining("models.registry");
    }
}

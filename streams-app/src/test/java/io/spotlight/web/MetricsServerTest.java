package io.spotlight.web;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spotlight.config.SpotlightConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

    @Test
    void aPortInUseIsNamedWithTheSettingsThatChooseIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            HttpPolicy policy = HttpPolicy.from(SpotlightConfig.defaults().with(Map.of("metrics.host", "127.0.0.1", "metrics.port", Integer.toString(port))));
            assertThatThrownBy(() -> MetricsServer.bind(policy, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    () -> new MetricsServer.Health(true, "{}")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("127.0.0.1:" + port).hasMessageContaining("metrics.port").hasMessageContaining("in use");
        }
    }
}

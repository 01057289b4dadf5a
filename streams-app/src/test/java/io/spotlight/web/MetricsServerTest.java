package io.spotlight.web;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

    @Test
    void aPortInUseIsNamedWithTheSettingsThatChooseIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> MetricsServer.bind("127.0.0.1", port, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    () -> new MetricsServer.Health(true, "{}")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("127.0.0.1:" + port).hasMessageContaining("metrics.port").hasMessageContaining("in use");
        }
    }
}

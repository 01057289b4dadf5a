package io.spotlight.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.testing.Repository;
import io.spotlight.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml (and its GPU override) validated offline by Debian's docker-compose; no engine
 * runs containers on the build machines. Also checks what the file promises: ports on 127.0.0.1 only,
 * no default Grafana password, no web view without its password.
 */
class ComposeFileTest {

    final Path root = Repository.root();

    Tools.Run config(List<String> files, String password, String libtorch) throws Exception {
        return config(files, password, "a-long-web-secret", libtorch);
    }

    Tools.Run config(List<String> files, String password, String webPassword, String libtorch) throws Exception {
        Path compose = Tools.require("docker-compose", "docker-compose");
        List<String> cmd = new ArrayList<>(List.of("env", "-u", "GRAFANA_ADMIN_PASSWORD", "-u", "SPOTLIGHT_WEB_PASSWORD", "-u", "LIBTORCH_CU128"));
        if (password != null) {
            cmd.add("GRAFANA_ADMIN_PASSWORD=" + password);
        }
        if (webPassword != null) {
            cmd.add("SPOTLIGHT_WEB_PASSWORD=" + webPassword);
        }
        if (libtorch != null) {
            cmd.add("LIBTORCH_CU128=" + libtorch);
        }
        cmd.add(compose.toString());
        files.forEach(f -> {
            cmd.add("-f");
            cmd.add(f);
        });
        cmd.addAll(List.of("config", "-q"));
        return Tools.run(cmd, root, 60);
    }

    @Test
    void theStackValidatesWithAPasswordAndRefusesToStartWithout() throws Exception {
        Tools.Run ok = config(List.of("docker-compose.yml"), "a-long-local-secret", null);
        assertThat(ok.exit()).as(ok.output()).isZero();
        Tools.Run refused = config(List.of("docker-compose.yml"), null, null);
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output()).contains("GRAFANA_ADMIN_PASSWORD");
    }

    @Test
    void theWebViewIsNotPublishedWithoutItsPassword() throws Exception {
        Tools.Run refused = config(List.of("docker-compose.yml"), "a-long-local-secret", null, null);
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output()).contains("SPOTLIGHT_WEB_PASSWORD");
        String compose = Files.readString(root.resolve("docker-compose.yml"));
        assertThat(compose).contains("SPOTLIGHT_WEB_PASSWORD: ${SPOTLIGHT_WEB_PASSWORD:?").contains("SPOTLIGHT_HTTP_ALLOWED_HOSTS: spotlight");
    }

    @Test
    void theGpuOverrideValidates() throws Exception {
        Tools.Run ok = config(List.of("docker-compose.yml", "docker-compose.gpu.yml"), "a-long-local-secret", "/opt/libtorch-cu128");
        assertThat(ok.exit()).as(ok.output()).isZero();
    }

    @Test
    void everyPublishedPortIsOnLocalhost() throws Exception {
        String compose = Files.readString(root.resolve("docker-compose.yml"));
        List<String> ports = compose.lines().map(String::trim).filter(l -> l.matches("- \"?[0-9.]*:?[0-9]+:[0-9]+\"?")).toList();
        assertThat(ports).isNotEmpty().allSatisfy(p -> assertThat(p).contains("127.0.0.1:"));
    }
}

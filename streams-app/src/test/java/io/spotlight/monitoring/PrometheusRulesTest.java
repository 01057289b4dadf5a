package io.spotlight.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.testing.Repository;
import io.spotlight.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert rules and scrape configuration in prometheus/, checked and unit-tested by Debian's promtool. */
class PrometheusRulesTest {

    final Path root = Repository.root();

    @Test
    void rulesAreValid() throws Exception {
        Path promtool = Tools.require("promtool", "prometheus");
        Tools.Run r = Tools.run(List.of(promtool.toString(), "check", "rules", "prometheus/alerts.yml"), root, 60);
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertRuleFiresAndStaysQuietWhereItsTestsSay() throws Exception {
        Path promtool = Tools.require("promtool", "prometheus");
        Tools.Run r = Tools.run(List.of(promtool.toString(), "test", "rules", "prometheus/tests/alerts_test.yml"), root, 60);
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void theScrapeConfigurationIsValid(@TempDir Path dir) throws Exception {
        Path promtool = Tools.require("promtool", "prometheus");
        // The shipped file names the rules where docker-compose mounts them; point it at the repository's.
        String config = Files.readString(root.resolve("prometheus/prometheus.yml"))
                .replace("/etc/prometheus/rules/alerts.yml", root.resolve("prometheus/alerts.yml").toString());
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, config);
        Tools.Run r = Tools.run(List.of(promtool.toString(), "check", "config", file.toString()), root, 60);
        assertThat(r.exit()).as(r.output()).isZero();
    }
}

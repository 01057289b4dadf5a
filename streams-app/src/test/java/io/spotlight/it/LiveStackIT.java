package io.spotlight.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.app.SpotlightApplication;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.demo.DemoProducer;
import io.spotlight.demo.DemoTraffic;
import io.spotlight.demo.TrafficFormat;
import io.spotlight.events.Json;
import io.spotlight.kafka.EmbeddedKafka;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.testing.HeadlessChrome;
import io.spotlight.testing.Repository;
import io.spotlight.testing.Tools;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole stack running for real: the in-process broker, Spotlight with the demo traffic and its
 * incident, a real Prometheus (Debian's) scraping /metrics with the repository's alert rules, and
 * headless Chromium on the web view. Every query of every Grafana dashboard panel must return data
 * from that Prometheus; the web view must show explanations with their pictures, alerts,
 * misclassifications and the attention head view, with no console error.
 */
class LiveStackIT {

    static final Path ROOT = Repository.root();
    static EmbeddedKafka kafka;
    static SpotlightApplication app;
    static Process prometheus;
    static String prometheusUrl;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startAndRun() throws Exception {
        Path prometheusBinary = Tools.require("prometheus", "prometheus");
        Path tmp = Files.createTempDirectory("live-stack");
        kafka = EmbeddedKafka.start();
        app = SpotlightApplication.start(SpotlightConfig.load(null, Map.of(), Map.ofEntries(
                Map.entry("bootstrap.servers", kafka.bootstrapServers()),
                Map.entry("application.id", "live-stack-it"),
                Map.entry("models.registry", ROOT.resolve("models/registry.json").toString()),
                Map.entry("metrics.port", "0"),
                Map.entry("sampling.baseline-rate", "0.3"),
                Map.entry("explain.linger-ms", "100"),
                Map.entry("drift.window-ms", "5000"),
                Map.entry("drift.grace-ms", "2000"),
                Map.entry("alerts.min-explanations", "10"),
                Map.entry("state.dir", tmp.resolve("state").toString()))), SpotlightMetrics.prometheus());
        assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();

        int port = freePort();
        prometheusUrl = "http://127.0.0.1:" + port;
        Path config = tmp.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: spotlight
                    metrics_path: /metrics
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(ROOT.resolve("prometheus/alerts.yml"), app.server().port()));
        prometheus = new ProcessBuilder(prometheusBinary.toString(), "--config.file=" + config, "--storage.tsdb.path=" + tmp.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();

        DemoTraffic traffic = DemoTraffic.fromRegistry(app.models(), 11, 20L * 15);
        try (DemoProducer producer = new DemoProducer(traffic, kafka.bootstrapServers(), "predictions", TrafficFormat.SPOTLIGHT, 20, 20L * 50, Clock.systemUTC(),
                new DemoProducer.Labels("labels", 0.5, 20))) {
            producer.run();
            assertThat(producer.failure()).isNull();
            assertThat(producer.sent()).isEqualTo(20L * 50);
        }
        Thread.sleep(5000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
        }
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static JsonNode promQuery(String expr) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(prometheusUrl + "/api/v1/query?query="
                + URLEncoder.encode(expr, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = Json.MAPPER.readTree(r.body());
        assertThat(json.path("status").asText()).as("%s: %s", expr, r.body()).isEqualTo("success");
        return json.path("data").path("result");
    }

    /** Every PromQL expression of a dashboard: panel targets (rows included), annotations, and the variables' label_values. */
    static List<String> queries(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        collectPanels(dashboard.path("panels"), out);
        dashboard.path("annotations").path("list").forEach(a -> {
            if (a.hasNonNull("expr")) {
                out.add(a.get("expr").asText());
            }
        });
        dashboard.path("templating").path("list").forEach(v -> {
            String q = v.path("query").isObject() ? v.path("query").path("query").asText() : v.path("query").asText();
            var m = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)").matcher(q);
            if (m.matches()) {
                out.add("group by (" + m.group(2) + ") (" + m.group(1) + ")");
            }
        });
        return out;
    }

    static void collectPanels(JsonNode panels, List<String> out) {
        panels.forEach(p -> {
            p.path("targets").forEach(t -> {
                if (t.hasNonNull("expr")) {
                    out.add(t.get("expr").asText());
                }
            });
            collectPanels(p.path("panels"), out);
        });
    }

    static String fill(String expr, Map<String, String> vars) {
        String s = expr.replace("$__rate_interval", "1m");
        for (var e : vars.entrySet()) {
            s = s.replace("${" + e.getKey() + "}", e.getValue()).replace("$" + e.getKey(), e.getValue());
        }
        return s;
    }

    @Test
    void everyPanelQueryOfEveryDashboardReturnsData() throws Exception {
        // The variables as a person would pick them: the incident's model version, and the text model.
        List<Map<String, String>> choices = List.of(
                Map.of("model", "fashion-cnn", "version", "2-shortcut", "class", "all"),
                Map.of("model", "review-sentiment", "version", "1", "class", "all"));
        Map<String, List<String>> empty = new LinkedHashMap<>();
        int checked = 0;
        try (Stream<Path> files = Files.list(ROOT.resolve("grafana/dashboards"))) {
            for (Path file : files.sorted().toList()) {
                JsonNode dashboard = Json.MAPPER.readTree(file.toFile());
                for (String expr : queries(dashboard)) {
                    boolean data = false;
                    for (Map<String, String> vars : choices) {
                        if (!promQuery(fill(expr, vars)).isEmpty()) {
                            data = true;
                            break;
                        }
                    }
                    checked++;
                    if (!data) {
                        empty.computeIfAbsent(file.getFileName().toString(), k -> new ArrayList<>()).add(expr);
                    }
                }
            }
        }
        System.out.println("dashboard queries checked against Prometheus: " + checked);
        assertThat(checked).isGreaterThan(40);
        assertThat(empty).as("queries that returned no data").isEmpty();
    }

    @Test
    void prometheusRaisesTheAlertSpotlightRaised() throws Exception {
        assertThat(promQuery("up{job=\"spotlight\"} == 1")).isNotEmpty();
        assertThat(promQuery("ALERTS{alertname=\"SpotlightFocusAlert\",alertstate=\"firing\",model=\"fashion-cnn\",version=\"2-shortcut\"}"))
                .as("Prometheus mirrors Spotlight's alert").isNotEmpty();
        assertThat(promQuery("ALERTS{alertname=\"SpotlightForbiddenFocus\",model=\"fashion-cnn\",version=\"2-shortcut\"}"))
                .as("the recomputed rule (threshold and minimum window size exported by Spotlight) holds too").isNotEmpty();
        assertThat(promQuery("ALERTS{alertname=\"SpotlightForbiddenFocus\",version=\"1\"}")).as("not for the clean model").isEmpty();
    }

    @Test
    void theWebViewShowsExplanationsAlertsMisclassificationsAndTheHeadView() throws Exception {
        Path chromium = Tools.require("chromium", "chromium");
        Path shots = ROOT.resolve("streams-app/target/webview");
        try (HeadlessChrome chrome = HeadlessChrome.start(chromium, Files.createTempDirectory("chromium-profile"), 1500, 1000)) {
            chrome.navigate(app.server().baseUrl() + "/ui/");
            chrome.await("document.querySelectorAll('#explanation-table tbody tr').length > 10", Duration.ofSeconds(30));
            String figureLoaded = "(() => { const i = document.querySelector('#detail img'); return !!i && i.complete && i.naturalWidth > 100; })()";
            chrome.await(figureLoaded, Duration.ofSeconds(30));
            chrome.screenshot(shots.resolve("explanations.png"));

            // A scored explanation: its faithfulness column, its curves and their areas.
            chrome.evaluate("[...document.querySelectorAll('#explanation-table tbody tr')].find(r => r.querySelector('td.faithfulness').textContent.includes('/')).click()");
            chrome.await("(() => { const i = [...document.querySelectorAll('#detail img.curve')]; "
                    + "return i.length > 0 && i.every(x => x.complete && x.naturalWidth > 100); })()", Duration.ofSeconds(30));
            assertThat(chrome.evaluate("document.getElementById('detail').textContent").asText()).contains("deletion AUC (random)");
            chrome.screenshot(shots.resolve("faithfulness.png"));

            // A text explanation, and its attention heads.
            chrome.evaluate("[...document.querySelectorAll('#explanation-table tbody tr')].find(r => r.textContent.includes('review-sentiment')).click()");
            chrome.await("!!document.getElementById('show-heads')", Duration.ofSeconds(15));
            chrome.await(figureLoaded, Duration.ofSeconds(15));
            chrome.evaluate("document.getElementById('show-heads').click()");
            chrome.await("document.querySelectorAll('#head-view line').length > 0", Duration.ofSeconds(30));
            chrome.evaluate("(() => { const s = document.getElementById('head-head'); s.value = '0'; s.dispatchEvent(new Event('change')); })()");
            chrome.await("document.querySelectorAll('#head-view line').length > 0", Duration.ofSeconds(5));
            chrome.screenshot(shots.resolve("attention-heads.png"));
            // Hovering a query token isolates it: every line left starts at that one query's row.
            chrome.evaluate("document.querySelector('#head-view text.query').dispatchEvent(new Event('mouseenter'))");
            assertThat(chrome.evaluate("new Set([...document.querySelectorAll('#head-view line')].map(l => l.getAttribute('y1'))).size").asInt())
                    .as("rows of the lines drawn while the first query token is hovered").isLessThanOrEqualTo(1);

            chrome.evaluate("document.querySelector('nav button[data-tab=alerts]').click()");
            chrome.await("document.querySelectorAll('#alert-table tbody tr').length > 0", Duration.ofSeconds(15));
            chrome.screenshot(shots.resolve("alerts.png"));

            chrome.evaluate("document.querySelector('nav button[data-tab=misclassifications]').click()");
            chrome.await("[...document.querySelectorAll('#misclassification-list img')].some(i => i.complete && i.naturalWidth > 100)",
                    Duration.ofSeconds(30));
            chrome.screenshot(shots.resolve("misclassifications.png"));

            chrome.evaluate("document.querySelector('nav button[data-tab=models]').click()");
            chrome.await("(() => { const i = [...document.querySelectorAll('#model-list img')]; return i.length >= 3 && i.every(x => x.complete && x.naturalWidth > 50); })()",
                    Duration.ofSeconds(30));
            chrome.screenshot(shots.resolve("models.png"));

            assertThat(chrome.errors()).as("console errors and exceptions").isEmpty();
        }
    }
}

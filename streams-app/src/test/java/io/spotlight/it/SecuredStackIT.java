package io.spotlight.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.events.Json;
import io.spotlight.kafka.ApplicationAcls;
import io.spotlight.kafka.EmbeddedKafka;
import io.spotlight.testing.HeadlessChrome;
import io.spotlight.testing.Repository;
import io.spotlight.testing.SelfSignedTls;
import io.spotlight.testing.SpotlightJvm;
import io.spotlight.testing.Tools;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Spotlight deployed as it should be next to production data. Every command against a broker
 * secured as production clusters are: SASL over TLS on every listener, SCRAM-SHA-512 for
 * Spotlight's principal and PLAIN for the model server's, and the StandardAuthorizer granting
 * each principal only the ACLs `spotlight acls` lists. The commands run as users run them, each in
 * a JVM of its own from the packaged jar, configured by a properties file. With a wrong password
 * each one fails in one sentence that names the problem, with a non-zero exit status and no stack
 * trace, and no secret is ever printed. The application listens on every interface, as in a
 * container: its web view asks for a login (plain HTTP and headless Chromium), /metrics and
 * /health for their token, and without a login it refuses to start at all.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredStackIT {

    static final Path ROOT = Repository.root();
    static final String APP = "spotlight";
    static final String MODEL_SERVER = "model-server";
    static final int EVENTS = 80;
    /** Less than the inputs and explanations published: the web view must drop the oldest. */
    static final long CACHE_BYTES = 128 * 1024;

    static Path dir;
    static EmbeddedKafka kafka;
    static String appPassword;
    static String modelServerPassword;
    static final String WEB_PASSWORD = "web-" + Long.toHexString(System.nanoTime());
    static final String WEB_TOKEN = "token-" + Long.toHexString(System.nanoTime());
    static final String METRICS_TOKEN = "scrape-" + Long.toHexString(System.nanoTime());
    static Path appConfig;
    static Path modelServerConfig;
    static Process run;
    static Path runLog;
    static Process demo;
    static Path demoLog;
    static String metricsUrl;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void securedBrokerAndPrincipals() throws Exception {
        dir = Files.createTempDirectory("secured-kafka-it");
        // The demo brings a secured broker of its own: it runs meanwhile, and is judged last.
        demoLog = dir.resolve("demo.log");
        demo = SpotlightJvm.start(Map.of(), List.of("demo", "--secure", "--events", "40", "--rate", "40", "--incident-after", "never",
                "--quiet", "--metrics-port", "0"), demoLog);
        appPassword = "app-" + Long.toHexString(System.nanoTime());
        modelServerPassword = "ms-" + Long.toHexString(System.nanoTime());
        kafka = EmbeddedKafka.start(new EmbeddedKafka.Security("admin-" + Long.toHexString(System.nanoTime()),
                Map.of(MODEL_SERVER, modelServerPassword), SelfSignedTls.make(dir, "tls-" + Long.toHexString(System.nanoTime()))));
        kafka.createUser(APP, appPassword);

        Map<String, String> app = new TreeMap<>(kafka.clientSettings(APP, appPassword));
        app.put("bootstrap.servers", kafka.bootstrapServers());
        app.put("application.id", "secured-it");
        app.put("metrics.port", "0");
        // Every interface, as in a container: the web view then needs its login, and /metrics its token.
        app.put("metrics.host", "0.0.0.0");
        app.put("web.password", WEB_PASSWORD);
        app.put("web.token", WEB_TOKEN);
        app.put("metrics.token", METRICS_TOKEN);
        app.put("web.cache-bytes", Long.toString(CACHE_BYTES));
        app.put("sampling.baseline-rate", "0.2");
        app.put("explain.linger-ms", "100");
        app.put("state.dir", dir.resolve("state").toString());
        appConfig = write("spotlight.properties", app);
        Map<String, String> modelServer = new TreeMap<>(kafka.clientSettings(MODEL_SERVER, modelServerPassword));
        modelServer.put("bootstrap.servers", kafka.bootstrapServers());
        modelServerConfig = write("model-server.properties", modelServer);

        SpotlightConfig config = SpotlightConfig.load(appConfig, Map.of(), Map.of());
        List<AclBinding> acls = new ArrayList<>(ApplicationAcls.application(config, "User:" + APP));
        acls.addAll(ApplicationAcls.replayOutput("audit", "User:" + APP));
        acls.addAll(ApplicationAcls.producer(config, "User:" + MODEL_SERVER));
        kafka.grant(acls);
        try (Admin admin = kafka.adminClients().admin("secured-it-admin")) {
            admin.createTopics(List.of(new NewTopic("audit", 1, (short) 1))).all().get();
        }
    }

    static Path write(String name, Map<String, String> settings) throws IOException {
        Properties p = new Properties();
        p.putAll(settings);
        Path file = dir.resolve(name);
        try (var out = Files.newBufferedWriter(file)) {
            p.store(out, null);
        }
        return file;
    }

    @AfterAll
    static void stop() throws Exception {
        if (demo != null) {
            demo.destroyForcibly();
        }
        if (run != null) {
            run.destroy();
            run.waitFor();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    static Tools.Run spotlight(long timeoutSeconds, String... args) throws Exception {
        Tools.Run r = SpotlightJvm.run(Map.of(), List.of(args), timeoutSeconds);
        assertNoSecret(r.output());
        return r;
    }

    static void assertNoSecret(String output) {
        assertThat(output).as("passwords printed").doesNotContain(appPassword).doesNotContain(modelServerPassword).doesNotContain("wrong-password")
                .doesNotContain(WEB_PASSWORD).doesNotContain(WEB_TOKEN).doesNotContain(METRICS_TOKEN);
    }

    /** A command started with the right configuration but the wrong password. */
    static Process withWrongPassword(Path output, String command, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(command, "--config", appConfig.toString(), "--set",
                "kafka.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + APP
                        + "\" password=\"wrong-password\";"));
        all.addAll(List.of(args));
        return SpotlightJvm.start(Map.of(), all, output);
    }

    static void assertRefusedClearly(Process p, Path output) throws Exception {
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
        Tools.Run r = new Tools.Run(p.exitValue(), Files.readString(output));
        assertNoSecret(r.output());
        assertThat(r.exit()).as(r.output()).isNotZero();
        assertThat(r.output()).as("one sentence naming the problem")
                .contains("spotlight: Kafka at " + kafka.bootstrapServers() + " refused to authenticate SASL user '" + APP + "' with SCRAM-SHA-512 over SASL_SSL")
                .contains("invalid credentials");
        assertThat(r.output().strip().lines()).as("nothing but that sentence: no stack trace, no log lines saying it again").hasSize(1);
    }

    @Test
    @Order(0)
    void theEffectiveConfigurationShowsWhoConnectsButNoPassword() throws Exception {
        Tools.Run r = spotlight(60, "config", "--effective", "--config", appConfig.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("kafka.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"spotlight\" password=\"[hidden]\";")
                .contains("kafka.ssl.truststore.password=[hidden]").contains("kafka.security.protocol=SASL_SSL")
                .contains("web.password=[hidden]").contains("web.token=[hidden]").contains("metrics.token=[hidden]");
    }

    @Test
    @Order(1)
    void everyCommandRefusesAWrongPasswordInOneSentence() throws Exception {
        // Four JVMs at once: each fails within a second of connecting.
        Map<Path, Process> refused = new LinkedHashMap<>();
        refused.put(dir.resolve("run-refused.log"), withWrongPassword(dir.resolve("run-refused.log"), "run"));
        refused.put(dir.resolve("produce-refused.log"), withWrongPassword(dir.resolve("produce-refused.log"), "produce", "--events", "1"));
        refused.put(dir.resolve("replay-refused.log"), withWrongPassword(dir.resolve("replay-refused.log"), "replay", "--out",
                dir.resolve("never") + "/"));
        refused.put(dir.resolve("baseline-refused.log"), withWrongPassword(dir.resolve("baseline-refused.log"), "baseline", "--model-id",
                "fashion-cnn", "--from-topic", "explanations", "--out", dir.resolve("never.json").toString()));
        Path open = dir.resolve("run-open.log");
        Process openBeyondLoopback = SpotlightJvm.start(Map.of(), List.of("run", "--config", appConfig.toString(), "--set", "web.password=",
                "--set", "web.token="), open);
        for (var r : refused.entrySet()) {
            assertRefusedClearly(r.getValue(), r.getKey());
        }
        assertThat(openBeyondLoopback.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(openBeyondLoopback.exitValue()).isNotZero();
        assertThat(Files.readString(open).strip().lines()).as("the web view is not served beyond loopback without a login").singleElement()
                .satisfies(l -> assertThat(l).startsWith("spotlight: metrics.host=0.0.0.0 serves the web view beyond loopback"));
    }

    @Test
    @Order(2)
    void runAndProduceWorkSecured() throws Exception {
        runLog = dir.resolve("run.log");
        run = SpotlightJvm.start(Map.of(), List.of("run", "--config", appConfig.toString()), runLog);
        Pattern url = Pattern.compile("metrics at (http://\\S+)/metrics");
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(run.isAlive()).as(Files.readString(runLog)).isTrue();
            Matcher m = url.matcher(Files.readString(runLog));
            if (m.find()) {
                metricsUrl = m.group(1);
            }
            return metricsUrl != null && get("/health").statusCode() == 200;
        });

        Tools.Run produced = spotlight(180, "produce", "--config", modelServerConfig.toString(), "--events", Integer.toString(EVENTS),
                "--rate", "200", "--incident-after", "never", "--label-share", "0.3");
        assertThat(produced.exit()).as(produced.output()).isZero();
        assertThat(produced.output()).contains(EVENTS + " predictions");

        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            String m = get("/metrics").body();
            return metric(m, "spotlight_predictions_consumed_total") == EVENTS
                    && metric(m, "spotlight_explanation_events_total") > 0
                    && metric(m, "spotlight_explanation_events_total")
                    == metric(m, "spotlight_predictions_valid_total") - metric(m, "spotlight_predictions_skipped_total");
        });
        assertThat(countRecords("explanations")).isPositive();
        // The latency consumer, in a group of its own under the same login and ACLs, sees every committed explanation.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            String m = get("/metrics").body();
            assertThat(metric(m, "spotlight_explanation_latency_seconds_count")).isEqualTo(metric(m, "spotlight_explanation_events_total"));
        });
        assertNoSecret(Files.readString(runLog));
    }

    @Test
    @Order(3)
    void offLoopbackTheWebViewAsksForALoginAndMetricsForTheirToken() throws Exception {
        HttpResponse<String> anonymous = get("/ui/", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Spotlight\", charset=\"UTF-8\"");
        assertThat(get("/ui/api/explanations", null).statusCode()).isEqualTo(401);
        assertThat(get("/ui/api/explanations", "Bearer " + METRICS_TOKEN).statusCode()).as("the scrape token opens no page").isEqualTo(401);
        assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get("/health", "Bearer " + WEB_TOKEN).statusCode()).as("nor the web token the metrics").isEqualTo(401);
        HttpResponse<String> api = get("/ui/api/explanations", "Bearer " + WEB_TOKEN);
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(api.body()).size()).isPositive();
        JsonNode summary = Json.MAPPER.readTree(get("/ui/api/summary", "Bearer " + WEB_TOKEN).body());
        assertThat(summary.get("held_bytes").asLong()).as("the web view's caches within web.cache-bytes").isPositive().isLessThanOrEqualTo(CACHE_BYTES);
        assertThat(summary.get("counts").get("inputs").asInt()).as("older inputs dropped for the byte bound").isLessThan(EVENTS);
        HttpResponse<String> page = get("/ui/", basic(WEB_PASSWORD));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("frame-ancestors 'none'"));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

        Path chromium = Tools.require("chromium", "chromium");
        try (HeadlessChrome chrome = HeadlessChrome.start(chromium, Files.createTempDirectory("chromium-profile"), 1400, 900)) {
            // A person who closes the login prompt sees nothing of the view.
            chrome.answerLogins(null, null);
            chrome.navigate(metricsUrl + "/ui/");
            chrome.await("document.readyState === 'complete' && document.body.innerText.includes('authentication required')", Duration.ofSeconds(30));
            assertThat(chrome.evaluate("document.getElementById('explanation-table') === null").asBoolean()).isTrue();
            assertThat(chrome.loginPrompts()).isPositive();
            int errorsBefore = chrome.errors().size();

            // One who logs in sees the explanations and their pictures.
            chrome.answerLogins("spotlight", WEB_PASSWORD);
            chrome.navigate(metricsUrl + "/ui/");
            chrome.await("document.querySelectorAll('#explanation-table tbody tr').length > 0", Duration.ofSeconds(60));
            chrome.await("(() => { const i = document.querySelector('#detail img'); return !!i && i.complete && i.naturalWidth > 100; })()",
                    Duration.ofSeconds(60));
            chrome.screenshot(ROOT.resolve("streams-app/target/webview/after-login.png"));
            assertThat(chrome.errors().subList(errorsBefore, chrome.errors().size())).as("console errors after logging in").isEmpty();
        }
    }

    static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("spotlight:" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @Order(4)
    void replayToATopicAndBaselineFromATopicWorkSecured() throws Exception {
        Tools.Run replay = spotlight(300, "replay", "--config", appConfig.toString(), "--out", "audit", "--report", dir.resolve("audit").toString());
        assertThat(replay.exit()).as(replay.output()).isZero();
        JsonNode counts = Json.MAPPER.readTree(dir.resolve("audit/report.json").toFile()).get("counts");
        long published = countRecords("explanations");
        assertThat(counts.get("identical").asLong()).isEqualTo(published);
        assertThat(countRecords("audit")).isEqualTo(published);

        Path reference = dir.resolve("reference.json");
        Tools.Run baseline = spotlight(120, "baseline", "--config", appConfig.toString(), "--model-id", "fashion-cnn", "--from-topic", "explanations",
                "--out", reference.toString());
        assertThat(baseline.exit()).as(baseline.output()).isZero();
        assertThat(Json.MAPPER.readTree(reference.toFile()).get("classes").get("all").get("count").asLong()).isPositive();
    }

    @Test
    @Order(5)
    void theDemoRunsOnASecuredBrokerOfItsOwn() throws Exception {
        assertThat(demo.waitFor(300, TimeUnit.SECONDS)).as("demo finished").isTrue();
        String output = Files.readString(demoLog);
        assertThat(demo.exitValue()).as(output).isZero();
        assertThat(output).contains("every client connects as User:spotlight").containsPattern("[1-9][0-9]* explanation events committed");
        assertThat(output).doesNotContain("\tat ");
    }

    /** /metrics and /health with the scrape token. */
    static HttpResponse<String> get(String path) throws Exception {
        return get(path, "Bearer " + METRICS_TOKEN);
    }

    static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(metricsUrl + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static double metric(String exposition, String name) {
        return exposition.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Committed records of a topic, read as the administrator. */
    static long countRecords(String topic) {
        try (var consumer = kafka.adminClients().reader("secured-it-count")) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            var ends = consumer.endOffsets(parts);
            long n = 0;
            while (parts.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                n += consumer.poll(Duration.ofMillis(500)).count();
            }
            return n;
        }
    }
}

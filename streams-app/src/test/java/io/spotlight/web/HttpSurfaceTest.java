package io.spotlight.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spotlight.config.SpotlightConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP endpoint's protections, by plain HTTP requests written on a socket (so that Host can
 * be anything): authentication of the web view and, when configured, of /metrics and /health;
 * the security headers on every answer; the Host check; the per-client rate limit; the
 * concurrency limit of the web view, whose work never holds up /health.
 */
class HttpSurfaceTest {

    static final String TOKEN = "web-token-0123456789";
    static final String PASSWORD = "a long web password";
    static final Map<String, String> BASE = Map.of("metrics.port", "0", "web.password", PASSWORD, "web.token", TOKEN,
            "http.allowed-hosts", "spotlight.example.com, spotlight", "http.requests-per-second", "1000");

    MetricsServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    MetricsServer start(Map<String, String> settings) throws IOException {
        Map<String, String> all = new TreeMap<>(BASE);
        all.putAll(settings);
        server = new MetricsServer(HttpPolicy.from(SpotlightConfig.defaults().with(all)), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> new MetricsServer.Health(true, "{\"status\":\"UP\"}"));
        server.mount("/ui", ex -> MetricsServer.respond(ex, 200, "text/plain", "the web view\n"));
        return server;
    }

    record Reply(int status, Map<String, String> headers, String body) {}

    /** GET over HTTP/1.1 with this Host (HTTP/1.0 and no Host when null), from this local address. */
    static Reply get(int port, String path, String host, String authorization, String from) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(60_000);
            StringBuilder request = new StringBuilder("GET " + path + (host == null ? " HTTP/1.0\r\n" : " HTTP/1.1\r\nHost: " + host + "\r\n"));
            if (authorization != null) {
                request.append("Authorization: ").append(authorization).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String[] parts = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\r\n\r\n", 2);
            String[] lines = parts[0].split("\r\n");
            Map<String, String> headers = new TreeMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new Reply(Integer.parseInt(lines[0].split(" ")[1]), headers, parts.length > 1 ? parts[1] : "");
        }
    }

    Reply get(String path, String authorization) throws IOException {
        return get(server.port(), path, "127.0.0.1:" + server.port(), authorization, "127.0.0.1");
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theWebViewAsksForItsCredentialsAndMetricsStayScrapeFriendly() throws Exception {
        start(Map.of());
        Reply anonymous = get("/ui/", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.headers()).containsEntry("www-authenticate", "Basic realm=\"Spotlight\", charset=\"UTF-8\"");
        assertThat(anonymous.body()).doesNotContain("the web view");
        assertThat(get("/ui/", basic("spotlight", "wrong")).status()).isEqualTo(401);
        assertThat(get("/ui/", basic("someone", PASSWORD)).status()).isEqualTo(401);
        assertThat(get("/ui/", "Bearer wrong-token").status()).isEqualTo(401);
        assertThat(get("/ui/", "Basic !!not-base64").status()).isEqualTo(401);
        assertThat(get("/ui/", basic("spotlight", PASSWORD))).satisfies(r -> assertThat(r.status()).isEqualTo(200))
                .satisfies(r -> assertThat(r.body()).isEqualTo("the web view\n"));
        assertThat(get("/ui/api/anything", "Bearer " + TOKEN).status()).isEqualTo(200);
        assertThat(get("/metrics", null).status()).as("no metrics.token: Prometheus scrapes as before").isEqualTo(200);
        assertThat(get("/health", null).status()).isEqualTo(200);
    }

    @Test
    void aMetricsTokenGuardsMetricsAndHealth() throws Exception {
        start(Map.of("metrics.token", "scrape-token-42"));
        assertThat(get("/metrics", null).status()).isEqualTo(401);
        assertThat(get("/metrics", null).headers()).containsEntry("www-authenticate", "Bearer realm=\"Spotlight\"");
        assertThat(get("/health", "Bearer " + TOKEN).status()).as("the web token is not the metrics token").isEqualTo(401);
        assertThat(get("/metrics", "Bearer scrape-token-42").status()).isEqualTo(200);
        assertThat(get("/health", "Bearer scrape-token-42").body()).contains("UP");
    }

    @Test
    void onLoopbackWithoutCredentialsTheWebViewIsOpenBeyondItSpotlightRefusesToStart() {
        SpotlightConfig open = SpotlightConfig.defaults();
        assertThat(HttpPolicy.from(open).web().required()).isFalse();
        for (String host : List.of("0.0.0.0", "::")) {
            assertThatThrownBy(() -> HttpPolicy.from(open.with(Map.of("metrics.host", host))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beyond loopback").hasMessageContaining("web.password");
            assertThat(HttpPolicy.from(open.with(Map.of("metrics.host", host, "web.token", TOKEN))).web().required()).isTrue();
            assertThat(HttpPolicy.from(open.with(Map.of("metrics.host", host, "web.enabled", "false"))).web().required())
                    .as("metrics and health alone may be served beyond loopback").isFalse();
        }
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() throws Exception {
        start(Map.of());
        for (Reply r : List.of(get("/ui/", basic("spotlight", PASSWORD)), get("/ui/", null), get("/metrics", null), get("/nothing-here", null))) {
            assertThat(r.headers().get("content-security-policy")).contains("default-src 'none'").contains("script-src 'self'")
                    .contains("frame-ancestors 'none'");
            assertThat(r.headers()).containsEntry("x-content-type-options", "nosniff").containsEntry("x-frame-options", "DENY")
                    .containsEntry("cache-control", "no-store").containsEntry("referrer-policy", "no-referrer");
        }
    }

    @Test
    void onlyRequestsAddressedToThisEndpointAreAnswered() throws Exception {
        start(Map.of());
        int port = server.port();
        String login = basic("spotlight", PASSWORD);
        for (String host : List.of("attacker.example", "attacker.example:" + port, "127.0.0.1.attacker.example", "localhost.attacker.example")) {
            assertThat(get(port, "/ui/", host, login, "127.0.0.1").status()).as(host).isEqualTo(403);
            assertThat(get(port, "/metrics", host, null, "127.0.0.1").status()).as(host).isEqualTo(403);
        }
        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "10.0.0.7", "Spotlight.Example.com:" + port, "spotlight")) {
            assertThat(get(port, "/ui/", host, login, "127.0.0.1").status()).as(host).isEqualTo(200);
        }
        assertThat(get(port, "/health", null, null, "127.0.0.1").status()).as("an HTTP/1.0 probe without Host").isEqualTo(200);
    }

    @Test
    void aClientOverItsRateIsToldToWaitAndOthersAreNot() throws Exception {
        start(Map.of("http.requests-per-second", "1"));
        int port = server.port();
        List<Integer> statuses = new ArrayList<>();
        Reply limited = null;
        for (int i = 0; i < 12; i++) {
            Reply r = get(port, "/metrics", "127.0.0.1", null, "127.0.0.1");
            statuses.add(r.status());
            if (r.status() == 429) {
                limited = r;
            }
        }
        // A burst of three, then one a second: twelve requests take far less than nine seconds.
        assertThat(statuses.subList(0, 3)).containsOnly(200);
        assertThat(statuses.stream().filter(s -> s == 429).count()).isGreaterThanOrEqualTo(3);
        assertThat(limited.headers()).containsKey("retry-after");
        assertThat(get(port, "/metrics", "127.0.0.1", null, "127.0.0.2").status()).as("another client address").isEqualTo(200);
    }

    @Test
    void webViewWorkIsBoundedAndNeverHoldsUpHealth() throws Exception {
        start(Map.of("http.max-concurrent", "2", "http.max-queued", "2"));
        CountDownLatch release = new CountDownLatch(1);
        server.mount("/ui/slow", ex -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            MetricsServer.respond(ex, 200, "text/plain", "done\n");
        });
        int port = server.port();
        String login = basic("spotlight", PASSWORD);
        ExecutorService clients = Executors.newFixedThreadPool(10);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                replies.add(clients.submit(() -> get(port, "/ui/slow", "127.0.0.1", login, "127.0.0.1")));
            }
            // Two at work and two waiting; the other six are turned away at once, while the four are held.
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> replies.stream().filter(Future::isDone).count() >= 6);
            Thread.sleep(300);
            List<Future<Reply>> turnedAway = replies.stream().filter(Future::isDone).toList();
            assertThat(turnedAway).hasSize(6).allSatisfy(f -> {
                assertThat(f.get().status()).isEqualTo(503);
                assertThat(f.get().headers()).containsEntry("retry-after", "1");
            });
            assertThat(get("/health", null).status()).as("health answers while the web view is saturated").isEqualTo(200);
            assertThat(get("/metrics", null).status()).isEqualTo(200);
            release.countDown();
            long done = 0;
            for (Future<Reply> f : replies) {
                if (f.get(60, TimeUnit.SECONDS).status() == 200) {
                    done++;
                }
            }
            assertThat(done).isEqualTo(4);
        } finally {
            release.countDown();
            clients.shutdownNow();
        }
    }
}

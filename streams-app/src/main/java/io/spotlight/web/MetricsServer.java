package io.spotlight.web;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoint: /metrics (Prometheus text format) and /health (200 while the stream runs,
 * 503 otherwise, with the state as JSON), answered at once on the accepting threads, behind
 * metrics.token when one is set; and the read-only pages {@link #mount}ed beside them (the web
 * view), behind the web credentials and worked on off those threads. Every response carries the
 * security headers; every request must name this endpoint in its Host and keep to the rate limit.
 * Binds to 127.0.0.1 unless configured otherwise.
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

    /** Whether the application is healthy, and a one-line JSON description of its state. */
    public record Health(boolean up, String json) {}

    private final HttpServer server;
    private final ExecutorService accepting;
    private final List<Filter> guards;
    private final Credentials web;
    private final WebWorkers workers;

    /** Serves as the policy says, or fails with a message naming the address and the settings that choose it. */
    public static MetricsServer bind(HttpPolicy policy, PrometheusMeterRegistry registry, Supplier<Health> health) {
        try {
            return new MetricsServer(policy, registry, health);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serve /metrics on " + policy.host() + ":" + policy.port() + " (metrics.host, metrics.port): "
                    + e.getMessage() + (e instanceof BindException ? "; choose another port with --set metrics.port=N (0 = any free port)" : ""), e);
        }
    }

    public MetricsServer(HttpPolicy policy, PrometheusMeterRegistry registry, Supplier<Health> health) throws IOException {
        server = HttpServer.create(new InetSocketAddress(policy.host(), policy.port()), 0);
        accepting = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "spotlight-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(accepting);
        guards = List.of(new SecurityHeaders(), new HostCheck(policy.allowedHosts()), new RateLimit(policy.requestsPerSecond()));
        web = policy.web();
        workers = new WebWorkers(policy.maxConcurrent(), policy.maxQueued());
        context("/metrics", policy.metrics(), readOnly(ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape())));
        context("/health", policy.metrics(), readOnly(ex -> {
            Health h = health.get();
            respond(ex, h.up() ? 200 : 503, "application/json", h.json());
        }));
        context("/", Credentials.none(), readOnly(ex -> respond(ex, 404, "text/plain; charset=utf-8", "not found\n")));
        // Browsers ask for it on every page they show, the login page too: no icon, and no error.
        context("/favicon.ico", Credentials.none(), readOnly(ex -> ex.sendResponseHeaders(204, -1)));
        server.start();
    }

    /** Mounts a read-only page: behind the web view's credentials, worked on off the accepting threads. */
    public void mount(String path, HttpHandler handler) {
        context(path, web, workers.dispatch(readOnly(handler)));
    }

    private void context(String path, Credentials credentials, HttpHandler handler) {
        HttpContext context = server.createContext(path, handler);
        context.getFilters().addAll(guards);
        context.getFilters().add(new Authentication(credentials));
    }

    /** GET and HEAD only; the exchange is finished whatever happens, an unexpected failure told as 500 without its details. */
    private static HttpHandler readOnly(HttpHandler handler) {
        return ex -> {
            try {
                if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                    ex.getResponseHeaders().set("Allow", "GET, HEAD");
                    respond(ex, 405, "text/plain", "read-only endpoint\n");
                    return;
                }
                handler.handle(ex);
            } catch (RuntimeException e) {
                log.warn("{} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
                if (ex.getResponseCode() == -1) {
                    respond(ex, 500, "text/plain", "internal error (logged)\n");
                }
            } finally {
                ex.close();
            }
        };
    }

    public static void respond(HttpExchange ex, int status, String contentType, String body) throws IOException {
        respond(ex, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public static void respond(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, ex.getRequestMethod().equals("HEAD") ? -1 : body.length);
        if (!ex.getRequestMethod().equals("HEAD")) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Where to reach it: the listen address, or 127.0.0.1 when it listens on every interface. */
    public String baseUrl() {
        var address = server.getAddress().getAddress();
        String host = address.isAnyLocalAddress() ? "127.0.0.1" : server.getAddress().getHostString();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.close();
        accepting.shutdownNow();
    }
}

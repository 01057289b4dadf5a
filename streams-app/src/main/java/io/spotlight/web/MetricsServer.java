package io.spotlight.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The HTTP endpoint Prometheus scrapes: /metrics (text exposition format) and /health (200 while
 * the stream runs, 503 otherwise, with the state as JSON). Further read-only pages can be mounted
 * with {@link #mount}. Binds to 127.0.0.1 unless configured otherwise.
 */
public final class MetricsServer implements AutoCloseable {

    /** Whether the application is healthy, and a one-line JSON description of its state. */
    public record Health(boolean up, String json) {}

    private final HttpServer server;

    /** Serves on host:port, or fails with a message naming the address and the settings that choose it. */
    public static MetricsServer bind(String host, int port, PrometheusMeterRegistry registry, Supplier<Health> health) {
        try {
            return new MetricsServer(host, port, registry, health);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serve /metrics on " + host + ":" + port + " (metrics.host, metrics.port): " + e.getMessage()
                    + (e instanceof java.net.BindException ? "; choose another port with --set metrics.port=N (0 = any free port)" : ""), e);
        }
    }

    public MetricsServer(String host, int port, PrometheusMeterRegistry registry, Supplier<Health> health) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "spotlight-http");
            t.setDaemon(true);
            return t;
        }));
        mount("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        mount("/health", ex -> {
            Health h = health.get();
            respond(ex, h.up() ? 200 : 503, "application/json", h.json());
        });
        server.start();
    }

    public void mount(String path, HttpHandler handler) {
        server.createContext(path, ex -> {
            try (ex) {
                if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                    respond(ex, 405, "text/plain", "read-only endpoint\n");
                    return;
                }
                handler.handle(ex);
            } catch (RuntimeException e) {
                respond(ex, 500, "text/plain", "error: " + e.getMessage() + "\n");
            }
        });
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

    public String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + port();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

package io.spotlight.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Spotlight as a user runs it ({@code java -jar spotlight.jar run}), in a JVM of its own that a test
 * can kill -9. Its /metrics and /health answer on a port the test chose; its log goes to a file.
 */
public final class AppProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final long startedNanos;
    private final Path log;

    private AppProcess(Process process, int port, long startedNanos, Path log) {
        this.process = process;
        this.port = port;
        this.startedNanos = startedNanos;
        this.log = log;
    }

    /** Starts `spotlight run` with these settings (metrics.port chosen here) and extra arguments. */
    public static AppProcess run(Map<String, String> settings, Path log, String... args) throws IOException {
        int port = BrokerProcess.freePort();
        Path jar = Repository.root().resolve("streams-app/target/spotlight.jar");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString(), "run", "--set", "metrics.port=" + port));
        settings.forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
        cmd.addAll(List.of(args));
        Files.createDirectories(log.toAbsolutePath().getParent());
        long started = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new AppProcess(p, port, started, log);
    }

    /** Seconds since this JVM was started. */
    public double age() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** The sum of a Prometheus metric's series (0 when absent or when the process does not answer). */
    public double metric(String name) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (IOException | RuntimeException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** /health's status code, or -1 while it does not answer. */
    public int health() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Waits until this process has published an explanation and returns its age then: how long a
     * (re)started instance takes to explain again.
     */
    public double awaitExplaining(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("spotlight exited (" + process.exitValue() + "); see " + log);
            }
            if (metric("spotlight_explanation_events_total") > 0) {
                return age();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("spotlight did not explain anything within " + timeout + "; see " + log);
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** "running", or how the process ended, for failure messages. */
    public String state() {
        return process.isAlive() ? "running" : "exited with " + process.exitValue() + "; see " + log;
    }

    /** kill -9: the JVM gets no chance to close anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}

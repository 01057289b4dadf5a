package io.spotlight.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's Chromium, headless, driven over the DevTools protocol: open a page, evaluate
 * JavaScript, take screenshots, and collect every console error and uncaught exception.
 */
public final class HeadlessChrome implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final StringBuilder partial = new StringBuilder();
    /** The login to give when a page asks for one ({user, password}), or null to cancel, as a person closing the prompt would. */
    private volatile String[] login;
    private final AtomicInteger challenges = new AtomicInteger();
    private final Object sending = new Object();

    private HeadlessChrome(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    public static HeadlessChrome start(Path chromium, Path profile, int width, int height) throws Exception {
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--remote-debugging-port=0",
                "--remote-allow-origins=*", "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "about:blank")
                .redirectErrorStream(true).start();
        String browserUrl = null;
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (browserUrl == null && System.nanoTime() < deadline) {
            String line = out.readLine();
            if (line == null) {
                break;
            }
            int at = line.indexOf("ws://");
            if (line.contains("DevTools listening on") && at >= 0) {
                browserUrl = line.substring(at).trim();
            }
        }
        if (browserUrl == null) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium did not open its DevTools port");
        }
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "chromium-output");
        drain.setDaemon(true);
        drain.start();
        URI browser = URI.create(browserUrl);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> target = http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getHost() + ":" + browser.getPort()
                + "/json/new?about:blank")).PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        String pageUrl = JSON.readTree(target.body()).get("webSocketDebuggerUrl").asText();
        HeadlessChrome[] self = new HeadlessChrome[1];
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                self[0].receive(data, last);
                webSocket.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        self[0] = new HeadlessChrome(p, ws);
        self[0].send("Runtime.enable", Map.of());
        self[0].send("Log.enable", Map.of());
        self[0].send("Page.enable", Map.of());
        return self[0];
    }

    private synchronized void receive(CharSequence data, boolean last) {
        partial.append(data);
        if (!last) {
            return;
        }
        try {
            JsonNode msg = JSON.readTree(partial.toString());
            partial.setLength(0);
            if (msg.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                if (f != null) {
                    f.complete(msg);
                }
                return;
            }
            String method = msg.path("method").asText();
            JsonNode params = msg.path("params");
            if (method.equals("Fetch.requestPaused")) {
                post("Fetch.continueRequest", Map.of("requestId", params.path("requestId").asText()));
            } else if (method.equals("Fetch.authRequired")) {
                challenges.incrementAndGet();
                String[] l = login;
                post("Fetch.continueWithAuth", Map.of("requestId", params.path("requestId").asText(), "authChallengeResponse", l == null
                        ? Map.of("response", "CancelAuth") : Map.of("response", "ProvideCredentials", "username", l[0], "password", l[1])));
            } else if (method.equals("Runtime.exceptionThrown")) {
                errors.add("exception: " + params.path("exceptionDetails").toString());
            } else if (method.equals("Runtime.consoleAPICalled") && params.path("type").asText().equals("error")) {
                errors.add("console.error: " + params.path("args").toString());
            } else if (method.equals("Log.entryAdded") && params.path("entry").path("level").asText().equals("error")) {
                errors.add("log: " + params.path("entry").path("text").asText() + " " + params.path("entry").path("url").asText());
            }
        } catch (Exception e) {
            errors.add("unreadable DevTools message: " + e);
        }
    }

    public JsonNode send(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id).put("method", method);
        msg.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        transmit(JSON.writeValueAsString(msg));
        JsonNode reply = f.get(60, TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + ": " + reply.get("error"));
        }
        return reply.get("result");
    }

    /** Sends a command without waiting for its reply (from the receiving thread, which a wait would block). */
    private void post(String method, Map<String, ?> params) {
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", ids.incrementAndGet()).put("method", method);
        msg.set("params", JSON.valueToTree(params));
        try {
            transmit(JSON.writeValueAsString(msg));
        } catch (Exception e) {
            errors.add("could not send " + method + ": " + e);
        }
    }

    /** One message at a time: a WebSocket refuses a send while another is pending. */
    private void transmit(String text) throws Exception {
        synchronized (sending) {
            socket.sendText(text, true).get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Answers the browser's login prompts (HTTP authentication challenges) from now on: with this
     * user and password, or, with null, by cancelling them.
     */
    public void answerLogins(String user, String password) throws Exception {
        login = user == null ? null : new String[] {user, password};
        send("Fetch.enable", Map.of("handleAuthRequests", true, "patterns", List.of(Map.of("urlPattern", "*"))));
    }

    /** How many login prompts the browser has met. */
    public int loginPrompts() {
        return challenges.get();
    }

    public void navigate(String url) throws Exception {
        send("Page.navigate", Map.of("url", url));
    }

    /** The value of a JavaScript expression (awaiting promises). */
    public JsonNode evaluate(String expression) throws Exception {
        JsonNode r = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("evaluating " + expression + ": " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** Waits until a JavaScript condition holds. */
    public void await(String condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (evaluate(condition).asBoolean(false)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("timed out waiting for " + condition);
    }

    public void screenshot(Path file) throws Exception {
        JsonNode r = send("Page.captureScreenshot", Map.of("format", "png"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(r.get("data").asText()));
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() {
        socket.abort();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

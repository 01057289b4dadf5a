package io.spotlight.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.spotlight.attribution.Attribution;
import io.spotlight.attribution.Explainer;
import io.spotlight.attribution.Method;
import io.spotlight.attribution.MethodCall;
import io.spotlight.attribution.Subject;
import io.spotlight.attribution.Tensor;
import io.spotlight.events.AlertEvent;
import io.spotlight.events.DriftEvent;
import io.spotlight.events.ExplanationEvent.MethodResult;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Json;
import io.spotlight.events.MisclassificationEvent;
import io.spotlight.events.ModelRef;
import io.spotlight.focus.FocusSettings;
import io.spotlight.model.InputDecoder;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelInput;
import io.spotlight.model.ModelRegistry;
import io.spotlight.model.Png;
import io.spotlight.model.Tokenizer;
import io.spotlight.render.Figures;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * A read-only web view, served beside /metrics under /ui/: recent explanations, alerts and
 * misclassifications with their pictures and numbers, each model's current mean focus map, and an
 * interactive attention head view for text explanations. Pages are static files; the data comes
 * as JSON and PNG from the handlers here.
 */
public final class WebView {

    private static final Map<String, String> STATIC = Map.of(
            "/ui/", "index.html", "/ui/index.html", "index.html", "/ui/app.js", "app.js", "/ui/style.css", "style.css");

    /** The static files' contents, read from the classpath on their first request. */
    private static final Map<String, byte[]> STATIC_CONTENT = new ConcurrentHashMap<>();

    private final RecentEvents recent;
    private final ModelRegistry registry;
    /** How long a head-view request waits for the model before it is told to come back. */
    private static final Duration MODEL_WAIT = Duration.ofSeconds(10);

    private final Explainer explainer = new Explainer();
    private final Semaphore modelRuns = new Semaphore(1);

    private final InputDecoder inputs;

    /** @param inputs the decoder of the stream's validate stage: the view decodes the same inputs, within the same budget */
    public WebView(RecentEvents recent, ModelRegistry registry, InputDecoder inputs) {
        this.recent = recent;
        this.registry = registry;
        this.inputs = inputs;
    }

    public void mount(MetricsServer server) {
        server.mount("/ui", this::handle);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        if (path.equals("/ui")) {
            ex.getResponseHeaders().set("Location", "/ui/");
            MetricsServer.respond(ex, 302, "text/plain", "");
            return;
        }
        if (STATIC.containsKey(path)) {
            String file = STATIC.get(path);
            String type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".css") ? "text/css" : "text/html";
            MetricsServer.respond(ex, 200, type + "; charset=utf-8", STATIC_CONTENT.computeIfAbsent(file, WebView::resource));
            return;
        }
        switch (path) {
            case "/ui/api/summary" -> json(ex, summary());
            case "/ui/api/explanations" -> json(ex, explanationList());
            case "/ui/api/explanation" -> found(ex, recent.explanation(q.get("id")).map(Json::tree));
            case "/ui/api/alerts" -> json(ex, Json.tree(recent.alerts()));
            case "/ui/api/misclassifications" -> json(ex, misclassificationList());
            case "/ui/api/drift" -> json(ex, driftList());
            case "/ui/api/attention" -> attention(ex, q.get("id"));
            case "/ui/img/explanation.png" -> png(ex, recent.explanation(q.get("id")).map(this::explanationFigure));
            case "/ui/img/faithfulness.png" -> png(ex, recent.explanation(q.get("id")).flatMap(e -> e.explanations().stream()
                    .filter(m -> m.method().equals(q.get("method")) && m.faithfulness() != null).findFirst())
                    .map(m -> Figures.faithfulness(m.method(), m.faithfulness())));
            case "/ui/img/misclassification.png" -> png(ex, recent.misclassification(q.get("id")).map(this::misclassificationFigure));
            case "/ui/focus-map.png" -> png(ex, focusMap(q.get("model"), q.get("version"), q.getOrDefault("class", "all")));
            default -> MetricsServer.respond(ex, 404, "text/plain", "not found: " + path + "\n");
        }
    }

    private ObjectNode summary() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.set("counts", Json.tree(recent.counts()));
        n.put("held_bytes", recent.bytes());
        ArrayNode models = n.putArray("models");
        registry.all().forEach(m -> models.addObject().put("id", m.card().id()).put("version", m.card().version())
                .put("description", m.card().description()).put("kind", m.card().input().kind()));
        return n;
    }

    private ArrayNode explanationList() {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (ExplanationEvent e : recent.explanations()) {
            ObjectNode n = a.addObject();
            n.put("id", e.id()).put("prediction_id", e.predictionId()).put("model", e.model().toString())
                    .put("reason", e.sampling().reason()).put("predicted", e.predicted().label())
                    .put("timestamp", e.timestamp().toString()).put("kind", e.focus() == null ? "" : e.focus().kind());
            if (e.predicted().probability() != null) {
                n.put("probability", e.predicted().probability());
            }
            ArrayNode methods = n.putArray("methods");
            e.explanations().forEach(m -> methods.add(m.method()));
            ArrayNode scored = n.putArray("faithfulness");
            e.explanations().stream().filter(m -> m.faithfulness() != null && m.faithfulness().deletion() != null).forEach(m ->
                    scored.addObject().put("method", m.method()).put("deletion_gain", m.faithfulness().deletion().gain())
                            .put("insertion_gain", m.faithfulness().insertion().gain()));
            if (e.agreement() != null) {
                n.set("agreement", Json.tree(e.agreement()));
            }
            if (e.focus() != null) {
                n.put("focus_method", e.focus().method()).put("entropy", e.focus().entropy()).put("forbidden", e.focus().forbiddenTotal());
                if (e.focus().watchMass() != null) {
                    n.put("watch", e.focus().watchMass());
                }
            }
        }
        return a;
    }

    private ArrayNode misclassificationList() {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (MisclassificationEvent m : recent.misclassifications()) {
            ObjectNode n = a.addObject();
            n.put("id", m.id()).put("prediction_id", m.predictionId()).put("model", m.model().toString())
                    .put("predicted", m.predicted().label()).put("true", m.trueClass().label()).put("true_rank", m.trueClass().rank())
                    .put("true_probability", m.trueClass().probability()).put("diagnosis", m.diagnosis().code()).put("text", m.diagnosis().text());
        }
        return a;
    }

    private ArrayNode driftList() {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (DriftEvent d : recent.drift().values()) {
            ObjectNode n = a.addObject();
            n.put("model", d.model().id()).put("version", d.model().version()).put("class", d.predictedClass())
                    .put("window_end", d.windowEnd().toString()).put("count", d.count()).put("reference", d.reference().source());
            if (d.figures() != null) {
                n.set("figures", Json.tree(d.figures()));
            }
        }
        return a;
    }

    /**
     * The head view's data. One model run at a time for the web view, on its worker thread; a
     * request that waits too long for the model is told to come back.
     */
    private void attention(HttpExchange ex, String id) throws IOException {
        boolean acquired;
        try {
            acquired = modelRuns.tryAcquire(MODEL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            ex.getResponseHeaders().set("Retry-After", "2");
            MetricsServer.respond(ex, 503, "application/json", "{\"error\":\"the model is busy with another request\"}");
            return;
        }
        try {
            found(ex, attentionMaps(id));
        } finally {
            modelRuns.release();
        }
    }

    /** Every layer and head of a text explanation's attention, recomputed by the model for the head view. */
    private Optional<ObjectNode> attentionMaps(String id) {
        Optional<ExplanationEvent> e = recent.explanation(id);
        if (e.isEmpty()) {
            return Optional.empty();
        }
        Optional<LoadedModel> model = registry.find(e.get().model());
        if (model.isEmpty() || !model.get().card().hasAttentions() || !model.get().card().input().isText()) {
            return Optional.empty();
        }
        Optional<ModelInput> decoded = decodedInput(e.get().model(), e.get().predictionId());
        if (decoded.isEmpty()) {
            return Optional.empty();
        }
        try {
            Attribution a = explainer.explain(model.get(), List.of(new Subject(decoded.get(), e.get().target().classIndex(), 0)),
                    List.of(MethodCall.of(Method.ATTENTION))).get(0).get(0);
            Tensor t = a.extras().get("tensor");
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.set("tokens", Json.tree(a.tokens()));
            n.put("layers", t.shape()[0]).put("heads", t.shape()[1]).put("size", t.shape()[2]);
            ArrayNode values = n.putArray("attention");
            for (float v : t.values()) {
                values.add(Math.round(v * 1e4) / 1e4);
            }
            return Optional.of(n);
        } catch (Exception ex) {
            return Optional.empty();
        }
    }

    /** The explanation's figure: over the input (with the card's expected and forbidden regions) when it is still cached, the maps alone otherwise. */
    private BufferedImage explanationFigure(ExplanationEvent e) {
        List<Attribution> results = new ArrayList<>();
        for (MethodResult m : e.explanations()) {
            results.add(attribution(m));
        }
        String headline = e.model() + ": " + e.predicted().label() + " (" + e.sampling().reason() + "), " + e.predictionId();
        ModelInput input = decodedInput(e.model(), e.predictionId()).orElseGet(() -> placeholder(e.explanations().get(0)));
        // The card's regions over the input, so a reader sees what "forbidden mass" measures.
        FocusSettings regions = registry.find(e.model()).map(m -> FocusSettings.of(m.card())).orElse(null);
        return Figures.explanation(input, results, headline, regions);
    }

    private BufferedImage misclassificationFigure(MisclassificationEvent m) {
        Optional<ModelInput> decoded = decodedInput(m.model(), m.predictionId());
        if (decoded.isPresent() && decoded.get() instanceof ModelInput.Dense image) {
            return Figures.misclassification(image, m);
        }
        // Text, or an input no longer held: the maps of both classes, one row per method.
        List<Attribution> results = new ArrayList<>();
        for (MethodResult r : m.predictedExplanations()) {
            results.add(attribution(r));
        }
        for (MethodResult r : m.trueExplanations()) {
            results.add(attribution(r));
        }
        String headline = m.model() + ": predicted " + m.predicted().label() + ", true " + m.trueClass().label()
                + " (rank " + m.trueClass().rank() + ") - " + m.diagnosis().code() + "; first rows: predicted class, then true class";
        return Figures.explanation(decoded.orElseGet(() -> placeholder(m.predictedExplanations().get(0))), results, headline);
    }

    private Optional<ModelInput> decodedInput(ModelRef ref, String predictionId) {
        Optional<LoadedModel> model = registry.find(ref);
        var input = recent.input(predictionId);
        if (model.isEmpty() || input.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(inputs.decode(input.get(), model.get()));
        } catch (Exception ex) {
            return Optional.empty();
        }
    }

    /**
     * With the input gone from the cache, a blank image of the map's size stands in, or for text
     * the event's tokens, or their positions when the event carries none (privacy.include-tokens).
     */
    private static ModelInput placeholder(MethodResult m) {
        int[] s = m.map().shape();
        if (s.length == 1) {
            List<String> tokens = m.tokens() != null ? m.tokens()
                    : IntStream.range(0, s[0]).mapToObj(i -> "#" + i).toList();
            long[] ids = new long[tokens.size()];
            return new ModelInput.Tokens(new Tokenizer.Encoding(ids, tokens, tokens.size()));
        }
        return new ModelInput.Dense(new float[s[0] * s[1]], new long[] {1, s[0], s[1]});
    }

    private static Attribution attribution(MethodResult m) {
        float[] v = m.map().values();
        long[] shape = Arrays.stream(m.map().shape()).asLongStream().toArray();
        Tensor t = new Tensor(v, shape);
        return new Attribution(Method.of(m.method()), m.parameters(), t, t, m.tokens(), m.summary(), Map.of(), m.elapsedMs());
    }

    private Optional<BufferedImage> focusMap(String model, String version, String cls) {
        Optional<DriftEvent> found = recent.drift(new ModelRef(model, version), cls);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        DriftEvent d = found.get();
        String title = String.format(Locale.ROOT, "%s:%s class %s, mean focus of %d explanations to %s", model, version, cls,
                d.count(), d.windowEnd());
        return Optional.of(Figures.meanFocus(d.meanGrid(), d.gridShape()[0], d.gridShape()[1], title));
    }

    private static byte[] resource(String file) {
        try (InputStream in = WebView.class.getResourceAsStream("/web/" + file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void json(HttpExchange ex, Object body) throws IOException {
        MetricsServer.respond(ex, 200, "application/json", Json.bytes(body));
    }

    private static void found(HttpExchange ex, Optional<?> body) throws IOException {
        if (body.isEmpty()) {
            MetricsServer.respond(ex, 404, "application/json", "{\"error\":\"not found\"}");
        } else {
            json(ex, body.get());
        }
    }

    private static void png(HttpExchange ex, Optional<BufferedImage> img) throws IOException {
        if (img.isEmpty()) {
            MetricsServer.respond(ex, 404, "text/plain", "no such picture (yet)\n");
            return;
        }
        MetricsServer.respond(ex, 200, "image/png", Png.encode(img.get()));
    }

    static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                q.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }
}

package io.spotlight.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spotlight.events.EncodedMap;
import io.spotlight.events.Input;
import io.spotlight.events.InvalidInputException;
import io.spotlight.events.Json;
import io.spotlight.model.Classifier;
import io.spotlight.model.InputDecoder;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelCard;
import io.spotlight.model.ModelInput;
import io.spotlight.model.ModelRegistry;
import io.spotlight.model.Png;
import io.spotlight.model.SampleData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * What a model server would publish: each event is a shipped sample run through the model itself,
 * with the real probabilities, the input as PNG or text, and the true label as an attribute. A
 * small share is deliberately broken (cut JSON, NaN pixels, an unknown version) so the dead-letter
 * path shows. Deterministic for a seed: event n is always the same.
 */
public final class DemoTraffic {

    /** One model and its samples, with the share of traffic it gets. */
    public record Source(LoadedModel model, List<SampleData.Sample> samples, double weight) {}

    /** One event: its id and JSON bytes, the true class, whether it was broken on purpose, and the model's id. */
    public record Event(String id, byte[] json, int label, boolean broken, String model) {}

    /**
     * From event {@code from} on, the images of {@code model}'s id carry its watermark and that
     * Clever-Hans version serves them: a supplier started stamping its photos, and the rollout of
     * a retrained model learnt the stamp.
     */
    public record Incident(long from, LoadedModel model) {}

    private final List<Source> sources;
    private final long seed;
    private final int brokenEvery;
    private final double totalWeight;
    private final List<Incident> incidents;

    public DemoTraffic(List<Source> sources, long seed, int brokenEvery, Incident incident) {
        this(sources, seed, brokenEvery, incident == null ? List.of() : List.of(incident));
    }

    /** Traffic with an incident per model id (each from its own event on). */
    public DemoTraffic(List<Source> sources, long seed, int brokenEvery, List<Incident> incidents) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no model with samples to make traffic from");
        }
        this.sources = List.copyOf(sources);
        this.seed = seed;
        this.brokenEvery = brokenEvery;
        this.totalWeight = sources.stream().mapToDouble(Source::weight).sum();
        this.incidents = List.copyOf(incidents);
    }

    /** Traffic over every registered model that ships samples, the first listed getting the largest share. */
    public static DemoTraffic fromRegistry(ModelRegistry registry, long seed) {
        return fromRegistry(registry, seed, -1);
    }

    /**
     * The same, with an incident from event {@code incidentFrom} on (negative: none) if the
     * registry holds a Clever-Hans version (a card with a watermark) of one of the models.
     */
    public static DemoTraffic fromRegistry(ModelRegistry registry, long seed, long incidentFrom) {
        List<Source> sources = new ArrayList<>();
        for (LoadedModel m : registry.all()) {
            if (m.card().watermark() != null) {
                continue; // Clever-Hans versions only serve in an incident.
            }
            List<SampleData.Sample> samples = SampleData.of(m.card());
            if (!samples.isEmpty()) {
                sources.add(new Source(m, samples, sources.isEmpty() ? 3.0 : 1.0));
            }
        }
        Incident incident = null;
        if (incidentFrom >= 0) {
            incident = registry.all().stream().filter(m -> m.card().watermark() != null).findFirst()
                    .map(m -> new Incident(incidentFrom, m)).orElse(null);
        }
        return new DemoTraffic(sources, seed, 97, incident);
    }

    /** The ids of the models the traffic goes to. */
    public List<String> models() {
        return sources.stream().map(s -> s.model().card().id()).distinct().toList();
    }

    /** The first incident, or null. */
    public Incident incident() {
        return incidents.isEmpty() ? null : incidents.get(0);
    }

    public Event next(long n, Instant at) {
        SplittableRandom random = new SplittableRandom(seed ^ (n * 0x9E3779B97F4A7C15L));
        Source source = pick(random.nextDouble() * totalWeight);
        SampleData.Sample sample = source.samples().get(random.nextInt(source.samples().size()));
        LoadedModel model = source.model();
        for (Incident incident : incidents) {
            if (n >= incident.from() && model.card().id().equals(incident.model().card().id()) && sample.png() != null) {
                model = incident.model();
                sample = new SampleData.Sample(stamped(sample.png(), model.card().watermark()), null, sample.label());
            }
        }
        String id = "pred-" + n;
        ObjectNode event = predict(id, model, sample, at);
        if (brokenEvery > 0 && n % brokenEvery == brokenEvery - 1) {
            return new Event(id, breakIt(event, n, model), sample.label(), true, model.card().id());
        }
        return new Event(id, Json.bytes(event), sample.label(), false, model.card().id());
    }

    private Source pick(double r) {
        for (Source s : sources) {
            r -= s.weight();
            if (r < 0) {
                return s;
            }
        }
        return sources.get(sources.size() - 1);
    }

    /** A prediction event for a sample as the model classifies it. */
    public static ObjectNode predict(String id, LoadedModel model, SampleData.Sample sample, Instant at) {
        Input input = sample.png() != null
                ? new Input.Image("png", Base64.getEncoder().encodeToString(sample.png()))
                : new Input.Text(sample.text());
        try {
            return predict(id, model, input, sample.label(), at);
        } catch (InvalidInputException e) {
            throw new IllegalStateException("a shipped sample does not decode: " + e.getMessage(), e);
        }
    }

    /** A prediction event for an input as the model classifies it (the true class, when known, as an attribute). */
    public static ObjectNode predict(String id, LoadedModel model, Input input, Integer trueClass, Instant at) throws InvalidInputException {
        ModelInput decoded = InputDecoder.DEFAULT.decode(input, model);
        float[] p = Classifier.probabilities(model, List.of(decoded)).get(0);
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("id", id);
        e.set("model", Json.tree(model.card().ref()));
        e.put("timestamp", at.toString());
        e.set("input", Json.tree(input));
        ObjectNode prediction = e.putObject("prediction");
        prediction.put("class", best);
        prediction.put("label", model.card().label(best));
        ArrayNode probs = prediction.putArray("probabilities");
        for (float v : p) {
            probs.add(v);
        }
        ObjectNode attributes = e.putObject("attributes");
        if (trueClass != null) {
            attributes.put("true_class", trueClass);
        }
        attributes.put("source", "spotlight-demo");
        return e;
    }

    private static byte[] stamped(byte[] png, ModelCard.Watermark w) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            int width = img.getWidth();
            byte[] grey = new byte[width * img.getHeight()];
            img.getRaster().getDataElements(0, 0, width, img.getHeight(), grey);
            return Png.grey(Watermarks.stamp(grey, width, w), img.getHeight(), width);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Cut JSON, a retired model version, or a tensor with a NaN, in turn. */
    private byte[] breakIt(ObjectNode event, long n, LoadedModel model) {
        switch ((int) ((n / brokenEvery) % 3)) {
            case 0 -> {
                byte[] whole = Json.bytes(event);
                return new String(whole, 0, whole.length / 2, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            }
            case 1 -> ((ObjectNode) event.get("model")).put("version", "0-retired");
            default -> {
                List<Integer> shape = model.card().input().shape();
                float[] values = new float[shape.stream().reduce(1, Math::multiplyExact)];
                values[values.length / 2] = Float.NaN;
                event.set("input", Json.tree(new Input.Tensor("float32", shape, null,
                        Base64.getEncoder().encodeToString(EncodedMap.littleEndian(values)))));
            }
        }
        return Json.bytes(event);
    }
}

package io.spotlight.model;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.events.Json;
import io.spotlight.events.ModelRef;
import io.spotlight.events.ReferenceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every model and version Spotlight can explain, from a registry file:
 * <pre>{"models": [{"card": "fashion-cnn/model.json", "chunk": 64, "pass-overhead": 2}, ...]}</pre>
 * ({@code "chunk": "auto"} has both measured at start-up; {@code "reference": "<file>"} pins the model's focus
 * reference, made by `spotlight baseline`).
 * Card paths are relative to the registry file. Old versions stay loaded so that late events and
 * audit replays are explained by the version that served them.
 */
public final class ModelRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final Map<ModelRef, LoadedModel> models;
    private final Map<String, ReferenceFile> references;

    public ModelRegistry(Collection<LoadedModel> models) {
        this(models, Map.of());
    }

    public ModelRegistry(Collection<LoadedModel> models, Map<String, ReferenceFile> references) {
        Map<ModelRef, LoadedModel> byRef = new LinkedHashMap<>();
        for (LoadedModel m : models) {
            if (byRef.putIfAbsent(m.card().ref(), m) != null) {
                throw new IllegalArgumentException("model " + m.card().ref() + " is registered twice");
            }
        }
        this.models = Collections.unmodifiableMap(byRef);
        this.references = Map.copyOf(references);
    }

    /** The ids of the registry's models, read from their cards without loading a model. */
    public static List<String> ids(Path registryFile) {
        try {
            Path base = registryFile.toAbsolutePath().getParent();
            List<String> ids = new ArrayList<>();
            for (JsonNode entry : Json.MAPPER.readTree(Files.readAllBytes(registryFile)).path("models")) {
                String id = ModelCard.load(base.resolve(entry.path("card").asText())).id();
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model registry " + registryFile, e);
        }
    }

    public static ModelRegistry load(Path registryFile, Device device) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(registryFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model registry " + registryFile, e);
        }
        JsonNode entries = root.path("models");
        if (!entries.isArray() || entries.isEmpty()) {
            throw new IllegalArgumentException(registryFile + ": expected {\"models\": [{\"card\": ...}, ...]}");
        }
        Path base = registryFile.toAbsolutePath().getParent();
        List<LoadedModel> loaded = new ArrayList<>();
        Map<String, ReferenceFile> references = new LinkedHashMap<>();
        try {
            for (JsonNode entry : entries) {
                if (!entry.hasNonNull("card")) {
                    throw new IllegalArgumentException(registryFile + ": every entry needs a \"card\" path");
                }
                ModelCard card = ModelCard.load(base.resolve(entry.get("card").asText()));
                JsonNode chunk = entry.path("chunk");
                double overhead = entry.path("pass-overhead").asDouble(ModelSettings.DEFAULT.passOverhead());
                ModelSettings settings = chunk.isTextual() && chunk.asText().equals("auto")
                        ? new ModelSettings(ModelSettings.DEFAULT.chunk(), overhead, true)
                        : new ModelSettings(chunk.isMissingNode() ? ModelSettings.DEFAULT.chunk() : chunk.asInt(-1), overhead);
                loaded.add(LoadedModel.load(card, device, settings));
                if (entry.hasNonNull("reference")) {
                    ReferenceFile ref = ReferenceFile.load(base.resolve(entry.get("reference").asText()));
                    if (!ref.model().equals(card.id())) {
                        throw new IllegalArgumentException(entry.get("reference").asText() + " is a reference for " + ref.model() + ", not " + card.id());
                    }
                    references.put(card.id(), ref);
                }
                log.info("loaded model {} from {} (chunk {}, pass overhead {}, device {})", card.ref(), card.modelFile(), settings.chunk(),
                        settings.passOverhead(), device);
            }
            return new ModelRegistry(loaded, references);
        } catch (RuntimeException e) {
            loaded.forEach(LoadedModel::close);
            throw e;
        }
    }

    public Optional<LoadedModel> find(ModelRef ref) {
        return Optional.ofNullable(models.get(ref));
    }

    public LoadedModel get(ModelRef ref) {
        return find(ref).orElseThrow(() -> new IllegalArgumentException("unknown model " + ref + "; registered: " + models.keySet()));
    }

    public Collection<LoadedModel> all() {
        return models.values();
    }

    /** Pinned focus references by model id (every version of the model is compared with it). */
    public Map<String, ReferenceFile> references() {
        return references;
    }

    public List<String> versions(String id) {
        return models.keySet().stream().filter(r -> r.id().equals(id)).map(ModelRef::version).toList();
    }

    @Override
    public void close() {
        models.values().forEach(LoadedModel::close);
    }
}

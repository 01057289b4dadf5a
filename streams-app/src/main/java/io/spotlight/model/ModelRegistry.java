package io.spotlight.model;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.events.Json;
import io.spotlight.events.ModelRef;
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
 * <pre>{"models": [{"card": "fashion-cnn/model.json", "chunk": 64}, ...]}</pre>
 * Card paths are relative to the registry file. Old versions stay loaded so that late events and
 * audit replays are explained by the version that served them.
 */
public final class ModelRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final Map<ModelRef, LoadedModel> models;

    public ModelRegistry(Collection<LoadedModel> models) {
        Map<ModelRef, LoadedModel> byRef = new LinkedHashMap<>();
        for (LoadedModel m : models) {
            if (byRef.putIfAbsent(m.card().ref(), m) != null) {
                throw new IllegalArgumentException("model " + m.card().ref() + " is registered twice");
            }
        }
        this.models = Collections.unmodifiableMap(byRef);
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
        try {
            for (JsonNode entry : entries) {
                if (!entry.hasNonNull("card")) {
                    throw new IllegalArgumentException(registryFile + ": every entry needs a \"card\" path");
                }
                ModelCard card = ModelCard.load(base.resolve(entry.get("card").asText()));
                ModelSettings settings = new ModelSettings(entry.path("chunk").asInt(ModelSettings.DEFAULT.chunk()));
                loaded.add(LoadedModel.load(card, device, settings));
                log.info("loaded model {} from {} (chunk {}, device {})", card.ref(), card.modelFile(), settings.chunk(), device);
            }
            return new ModelRegistry(loaded);
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

    public List<String> versions(String id) {
        return models.keySet().stream().filter(r -> r.id().equals(id)).map(ModelRef::version).toList();
    }

    @Override
    public void close() {
        models.values().forEach(LoadedModel::close);
    }
}

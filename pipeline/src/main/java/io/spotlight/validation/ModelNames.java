package io.spotlight.validation;

import static io.spotlight.events.DeadLetter.Reason.UNKNOWN_MODEL;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.events.InvalidInputException;
import io.spotlight.events.ModelRef;
import io.spotlight.model.ModelRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The card a model server's name and version stand for: input.models where the server names the
 * model otherwise (name[:version]=card-id[:card-version]), else the same name; without a version
 * (the protocol makes it optional), the card's only registered version.
 */
public final class ModelNames {

    private final Map<String, ModelRef> mapped;
    private final ModelRegistry registry;

    ModelNames(Map<String, ModelRef> mapped, ModelRegistry registry) {
        this.mapped = Map.copyOf(mapped);
        this.registry = registry;
    }

    public static ModelNames of(SpotlightConfig c, ModelRegistry registry) {
        Map<String, ModelRef> mapped = new HashMap<>();
        for (String entry : c.get("input.models").split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] fromTo = entry.trim().split("=", 2);
            if (fromTo.length != 2 || fromTo[0].isBlank() || fromTo[1].isBlank()) {
                throw new IllegalArgumentException("input.models entry '" + entry.trim() + "' is not name[:version]=card-id[:card-version]");
            }
            String[] to = fromTo[1].trim().split(":", 2);
            mapped.put(fromTo[0].trim(), new ModelRef(to[0], to.length == 2 ? to[1] : null));
        }
        return new ModelNames(mapped, registry);
    }

    public ModelRef resolve(String name, String version) throws InvalidInputException {
        if (name == null || name.isEmpty()) {
            throw new InvalidInputException(UNKNOWN_MODEL, "neither the request, the response nor the topic names the model");
        }
        boolean versioned = version != null && !version.isEmpty();
        ModelRef to = versioned && mapped.containsKey(name + ":" + version) ? mapped.get(name + ":" + version) : mapped.get(name);
        String id = to == null ? name : to.id();
        String v = to != null && to.version() != null ? to.version() : versioned ? version : null;
        if (v != null) {
            return new ModelRef(id, v);
        }
        List<String> versions = registry.versions(id);
        if (versions.size() != 1) {
            throw new InvalidInputException(UNKNOWN_MODEL, "model '" + id + "' without a version"
                    + (versions.isEmpty() ? " is not registered" : ", and it has versions " + versions + ": name one in input.models ("
                    + name + "=" + id + ":<version>)"));
        }
        return new ModelRef(id, versions.get(0));
    }
}

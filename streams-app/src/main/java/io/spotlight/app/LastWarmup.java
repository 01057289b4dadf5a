package io.spotlight.app;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.events.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warm-up's times per record by model, as last measured by an instance on this state directory,
 * with the explanation plans they were measured for. A restart checks its transaction and poll
 * settings against them before its stream starts, so a configuration they cannot fit is still
 * refused at once, and need not wait for its own warm-up: that one runs while the stream restores,
 * then sizes the batches and is kept for the next start.
 */
record LastWarmup(Map<String, Double> msPerRecord, Map<String, String> plans) {

    static final String FILE = "spotlight-warmup.json";
    private static final Logger log = LoggerFactory.getLogger(LastWarmup.class);

    /** The settings the warm-up runs (explanation and score plans, their methods' parameters): what the times depend on besides the models. */
    static Map<String, String> plans(SpotlightConfig config) {
        Map<String, String> plans = new TreeMap<>();
        for (String prefix : List.of("explain.plan.", "explain.method.", "explain.score.")) {
            config.withPrefix(prefix).forEach((k, v) -> plans.put(prefix + k, v));
        }
        plans.put("faithfulness.share", config.get("faithfulness.share"));
        return plans;
    }

    /** The times last measured for exactly these models and plans; none when there are none, or they cannot be read. */
    static Optional<Map<String, Double>> read(Path stateDir, Set<String> models, Map<String, String> plans) {
        Path file = stateDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            LastWarmup last = Json.MAPPER.readValue(file.toFile(), LastWarmup.class);
            return last.msPerRecord() != null && last.msPerRecord().keySet().equals(models) && plans.equals(last.plans())
                    ? Optional.of(last.msPerRecord()) : Optional.empty();
        } catch (IOException unreadable) {
            log.warn("cannot read the last warm-up's times from {} ({}); this start waits for its own", file, unreadable.getMessage());
            return Optional.empty();
        }
    }

    /** Keeps these times for the next start; a state directory that cannot take them costs the next start its warm-up, nothing else. */
    static void write(Path stateDir, Map<String, Double> msPerRecord, Map<String, String> plans) {
        Path file = stateDir.resolve(FILE);
        try {
            Files.createDirectories(stateDir);
            Path temp = Files.createTempFile(stateDir, FILE, ".tmp");
            Json.MAPPER.writeValue(temp.toFile(), new LastWarmup(new TreeMap<>(msPerRecord), plans));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("cannot keep the warm-up's times in {}: {}", file, e.getMessage());
        }
    }
}

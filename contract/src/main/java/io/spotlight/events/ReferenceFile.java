package io.spotlight.events;

import io.spotlight.events.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pinned focus reference for one model id (every version is compared with it): per predicted
 * class and for "all" classes, made by `spotlight baseline` from inputs or from a range of a topic.
 * The all-classes reference keeps the sample of explanation statistics its null distributions are
 * resampled from; alerts judge all-classes windows only, so per-class entries keep none.
 */
public record ReferenceFile(String model, String method, Instant created, String source, Map<String, FocusReference> classes) {

    public static final String ALL = "all";

    public static ReferenceFile load(Path file) {
        try {
            ReferenceFile r = Json.MAPPER.readValue(Files.readAllBytes(file), ReferenceFile.class);
            if (r.classes() == null || !r.classes().containsKey(ALL)) {
                throw new IllegalArgumentException(file + ": a focus reference needs classes." + ALL);
            }
            // Files written by hand or by older versions may lack ids: name each reference by its content.
            Map<String, FocusReference> named = new LinkedHashMap<>();
            r.classes().forEach((k, v) -> named.put(k, v.id() == null ? v.identified() : v));
            return new ReferenceFile(r.model(), r.method(), r.created(), r.source(), named);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read focus reference " + file, e);
        }
    }

    public void save(Path file) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The reference for a class, or the all-classes one when the class has none. */
    public FocusReference forClass(String cls) {
        return classes.getOrDefault(cls, classes.get(ALL));
    }
}

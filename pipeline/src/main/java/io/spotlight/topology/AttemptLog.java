package io.spotlight.topology;

import com.fasterxml.jackson.core.type.TypeReference;
import io.spotlight.events.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How many times each buffered request has been put to the engine without an outcome, kept in a
 * file beside the task's state and forced to disk before every attempt. A count written inside the
 * stream's transaction would be lost with the process that dies in the attempt (a native crash,
 * the kernel's OOM kill); this one survives it, so a request that keeps killing the process is
 * quarantined after a bounded number of tries. The count belongs to this instance's state
 * directory: an instance that takes the partition over starts again from zero, which still bounds
 * the tries.
 */
final class AttemptLog {

    private final Path file;
    private final Map<String, Integer> counts;

    private AttemptLog(Path file, Map<String, Integer> counts) {
        this.file = file;
        this.counts = counts;
    }

    static AttemptLog open(Path file) {
        Map<String, Integer> counts = new TreeMap<>();
        try {
            if (Files.exists(file)) {
                counts.putAll(Json.MAPPER.readValue(file.toFile(), new TypeReference<Map<String, Integer>>() {}));
            }
        } catch (IOException unreadable) {
            // A file torn by the crash it was meant to survive: the counts restart, still bounded.
        }
        return new AttemptLog(file, counts);
    }

    int attempts(String key) {
        return counts.getOrDefault(key, 0);
    }

    /** Counts one more attempt for each key, on disk before it returns. */
    void begin(Collection<String> keys) {
        keys.forEach(k -> counts.merge(k, 1, Integer::sum));
        write(true);
    }

    /** The attempts ended with an outcome; nothing to remember. */
    void end(Collection<String> keys) {
        if (counts.keySet().removeAll(keys)) {
            write(false);
        }
    }

    /** Forgets keys no longer buffered (finished in a transaction after the file was last written). */
    void retain(Set<String> buffered) {
        if (counts.keySet().retainAll(buffered)) {
            write(false);
        }
    }

    Map<String, Integer> counts() {
        return Map.copyOf(counts);
    }

    private void write(boolean force) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, Json.bytes(counts));
            if (force) {
                try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    c.force(true);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record explain attempts in " + file, e);
        }
    }
}

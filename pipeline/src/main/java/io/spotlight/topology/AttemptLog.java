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
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many times each buffered request has been put to the engine without an outcome, kept in a
 * file beside the task's state and forced to disk before every attempt. A count written inside the
 * stream's transaction would be lost with the process that dies in the attempt (a native crash,
 * the kernel's OOM kill); this one survives it, so a request that keeps killing the process is
 * quarantined after a bounded number of tries. A count outlives its request's place in the buffer:
 * a request buffered in the transaction the process died in comes back, under the same key, when
 * its input is read again. Counts untouched for a day are forgotten (their request was finished
 * elsewhere). The count belongs to this instance's state directory: an instance that takes the
 * partition over starts again from zero, which still bounds the tries.
 */
final class AttemptLog {

    static final Duration FORGET_AFTER = Duration.ofDays(1);

    /** The attempts at one request, and when the last began. */
    record Attempts(int count, long atMillis) {}

    private final Path file;
    private final Map<String, Attempts> counts;
    private final long now;

    private AttemptLog(Path file, Map<String, Attempts> counts, long now) {
        this.file = file;
        this.counts = counts;
        this.now = now;
    }

    static AttemptLog open(Path file, long nowMillis) {
        Map<String, Attempts> counts = new TreeMap<>();
        try {
            if (Files.exists(file)) {
                counts.putAll(Json.MAPPER.readValue(file.toFile(), new TypeReference<Map<String, Attempts>>() {}));
            }
        } catch (IOException unreadable) {
            // A file torn by the crash it was meant to survive: the counts restart, still bounded.
        }
        counts.values().removeIf(a -> a.atMillis() < nowMillis - FORGET_AFTER.toMillis());
        return new AttemptLog(file, counts, nowMillis);
    }

    int attempts(String key) {
        Attempts a = counts.get(key);
        return a == null ? 0 : a.count();
    }

    /** Requests whose last attempt never ended. */
    int unfinished() {
        return counts.size();
    }

    /** Counts one more attempt for each key, on disk before it returns. */
    void begin(Collection<String> keys, long atMillis) {
        keys.forEach(k -> counts.put(k, new Attempts(attempts(k) + 1, atMillis)));
        write(true);
    }

    /** The attempts ended with an outcome; nothing to remember. */
    void end(Collection<String> keys) {
        if (counts.keySet().removeAll(keys)) {
            write(false);
        }
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

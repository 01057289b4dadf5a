package io.spotlight.focus;

import io.spotlight.events.FocusReference;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Null distributions by reference and window size, each resampled once: windows of a size seen
 * before cost a lookup. Least recently used entries go first. Not thread-safe: one per stream task.
 */
public final class NullCache {

    private final int resamples;
    private final Map<String, NullDistribution> cache;

    public NullCache(int resamples, int capacity) {
        this.resamples = resamples;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, NullDistribution> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The null of windows of {@code size} explanations against this reference (which must keep a sample). */
    public NullDistribution of(FocusReference reference, int size) {
        return cache.computeIfAbsent(reference.id() + "|" + size, k -> NullDistribution.of(reference, size, resamples));
    }
}

package io.spotlight.web;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The most recent values by key, bounded both in count and in bytes (each value's size as it was
 * published): the oldest go first, and a value larger than the whole budget is not kept at all.
 * Not thread-safe; its owner synchronizes.
 */
final class ByteBoundedCache<K, V> {

    private record Entry<V>(V value, long bytes) {}

    private final int maxEntries;
    private final long maxBytes;
    private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>();
    private long bytes;

    ByteBoundedCache(int maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** Keeps the value as the newest (replacing one with the same key), then drops the oldest until both bounds hold. */
    void put(K key, V value, long size) {
        Entry<V> old = entries.remove(key);
        if (old != null) {
            bytes -= old.bytes();
        }
        if (size > maxBytes) {
            return;
        }
        entries.put(key, new Entry<>(value, size));
        bytes += size;
        Iterator<Entry<V>> oldest = entries.values().iterator();
        while (entries.size() > maxEntries || bytes > maxBytes) {
            bytes -= oldest.next().bytes();
            oldest.remove();
        }
    }

    V get(K key) {
        Entry<V> e = entries.get(key);
        return e == null ? null : e.value();
    }

    List<V> newestFirst() {
        List<V> out = new ArrayList<>(entries.size());
        entries.values().forEach(e -> out.add(e.value()));
        Collections.reverse(out);
        return out;
    }

    /** Key and value, oldest first. */
    Map<K, V> asMap() {
        Map<K, V> out = new LinkedHashMap<>();
        entries.forEach((k, e) -> out.put(k, e.value()));
        return out;
    }

    int size() {
        return entries.size();
    }

    long bytes() {
        return bytes;
    }
}

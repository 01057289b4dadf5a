package io.spotlight.attribution;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The parameters given to a method (from configuration, the CLI or a recorded event) and the
 * effective values it used, defaults included. Reading a key records it; a key nobody read is an
 * error, so a typo in configuration never silently falls back to a default.
 */
public final class Parameters {

    /** Values a method records but derives itself: a recorded parameter map without them is what to give again. */
    public static final Set<String> DERIVED = Set.of("seed", "head-fusion", "blur-kernel-effective");

    private final Map<String, String> given;
    private final Map<String, Object> effective = new TreeMap<>();

    public Parameters(Map<String, ?> given) {
        Map<String, String> copy = new LinkedHashMap<>();
        given.forEach((k, v) -> copy.put(k, String.valueOf(v)));
        this.given = Collections.unmodifiableMap(copy);
    }

    /** The parameters to give a method again, from what an explanation recorded. */
    public static Map<String, String> toRepeat(Map<String, Object> recorded) {
        Map<String, String> out = new LinkedHashMap<>();
        recorded.forEach((k, v) -> {
            if (!DERIVED.contains(k)) {
                out.put(k, String.valueOf(v));
            }
        });
        return out;
    }

    public int integer(String key, int fallback, int min, int max) {
        int v;
        try {
            v = given.containsKey(key) ? Integer.parseInt(given.get(key).trim()) : fallback;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter " + key + " must be an integer, got '" + given.get(key) + "'");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("parameter " + key + " must be in [" + min + ", " + max + "], got " + v);
        }
        effective.put(key, v);
        return v;
    }

    public double real(String key, double fallback, double min, double max) {
        double v;
        try {
            v = given.containsKey(key) ? Double.parseDouble(given.get(key).trim()) : fallback;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter " + key + " must be a number, got '" + given.get(key) + "'");
        }
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException("parameter " + key + " must be in [" + min + ", " + max + "], got " + v);
        }
        effective.put(key, v);
        return v;
    }

    public String choice(String key, String fallback, Set<String> allowed) {
        String v = given.getOrDefault(key, fallback).trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException("parameter " + key + " must be one of " + new TreeSet<>(allowed) + ", got '" + v + "'");
        }
        effective.put(key, v);
        return v;
    }

    public String text(String key, String fallback) {
        String v = given.getOrDefault(key, fallback);
        if (v != null) {
            effective.put(key, v);
        }
        return v;
    }

    /** Records a value the method derived (e.g. an effective kernel size) among the parameters. */
    public void record(String key, Object value) {
        effective.put(key, value);
    }

    /** Throws if a given key was never read: it is not a parameter of this method. */
    public void requireAllUsed(Method method) {
        Set<String> unknown = new TreeSet<>(given.keySet());
        unknown.removeAll(effective.keySet());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(method.id() + " has no parameter(s) " + unknown + "; it takes " + effective.keySet());
        }
    }

    public Map<String, Object> effective() {
        return Collections.unmodifiableMap(new TreeMap<>(effective));
    }
}

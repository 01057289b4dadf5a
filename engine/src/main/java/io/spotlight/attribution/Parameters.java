package io.spotlight.attribution;

import io.spotlight.model.ModelCard;
import io.spotlight.model.ModelSettings;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A call's parameters (of a method, or of a score) resolved against its declaration, for one model: every given
 * value parsed and checked, every missing one defaulted, in declaration order. A given name that is
 * not a parameter of the method, or does not apply with the other values, is an error, so a typo in
 * configuration never silently falls back to a default. The effective values, defaults and derived
 * values included, are what an explanation records.
 */
public final class Parameters {

    private final Declared method;
    private final ModelCard card;
    private final ModelSettings settings;
    private final Map<ParameterSpec<?>, Object> values = new IdentityHashMap<>();
    private final Map<String, Object> effective = new TreeMap<>();

    private Parameters(Declared method, ModelCard card, ModelSettings settings) {
        this.method = method;
        this.card = card;
        this.settings = settings;
    }

    /** Resolves the given parameters (from configuration, the CLI or a recorded event) for a model. */
    public static Parameters resolve(Declared method, Map<String, ?> given, ModelCard card, ModelSettings settings) {
        Map<String, String> text = new LinkedHashMap<>();
        given.forEach((k, v) -> text.put(k, String.valueOf(v)));
        MethodParameters declared = method.parameters();
        Set<String> unknown = new TreeSet<>(text.keySet());
        unknown.removeAll(declared.names());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(method.id() + " has no parameter(s) " + unknown + "; it takes " + declared.names());
        }
        Parameters p = new Parameters(method, card, settings);
        for (ParameterSpec<?> spec : declared.parameters()) {
            p.resolve(spec, text);
        }
        return p;
    }

    private <T> void resolve(ParameterSpec<T> spec, Map<String, String> given) {
        ParameterSpec.Condition condition = spec.condition();
        if (condition != null && !condition.holds(this)) {
            if (given.containsKey(spec.name())) {
                throw new IllegalArgumentException(method.id() + ": " + spec.name() + " applies only when "
                        + condition.choice().name() + " is " + String.join(" or ", condition.ids())
                        + "; " + condition.choice().name() + " is " + effective.get(condition.choice().name()));
            }
            return;
        }
        T value;
        if (given.containsKey(spec.name())) {
            value = spec.parse(given.get(spec.name()));
        } else if (spec.fallback() != null) {
            value = spec.fallback().value().apply(this);
        } else {
            throw new IllegalArgumentException(method.id() + " needs " + spec.name()
                    + (condition == null ? "" : " when " + condition.choice().name() + " is " + effective.get(condition.choice().name())));
        }
        if (spec.bounds() != null) {
            spec.check(value, spec.bounds().range().apply(this));
        }
        values.put(spec, value);
        effective.put(spec.name(), spec.recorded(value));
    }

    /** The value of a parameter the method declares (and that applies with the other values). */
    public <T> T get(ParameterSpec<T> spec) {
        if (!values.containsKey(spec)) {
            throw new IllegalStateException(method.id() + " has no value for " + spec.name() + " (not declared, or does not apply)");
        }
        return spec.valueType().cast(values.get(spec));
    }

    /** The model the parameters are resolved for, for defaults and bounds that depend on it. */
    public ModelCard card() {
        return card;
    }

    public ModelSettings settings() {
        return settings;
    }

    /** Records a value the method derived (e.g. an effective kernel size) among the parameters. */
    public void record(RecordedValue key, Object value) {
        if (!method.parameters().recorded().contains(key)) {
            throw new IllegalStateException(method.id() + " does not declare that it records " + key.name());
        }
        effective.put(key.name(), value);
    }

    public Map<String, Object> effective() {
        return Collections.unmodifiableMap(new TreeMap<>(effective));
    }

    /**
     * The parameters to give a method again, from what an explanation recorded: all but the values
     * it declares it derives. Anything else is given back, so a name the method no longer takes is
     * an error rather than silently dropped.
     */
    public static Map<String, String> toRepeat(Declared method, Map<String, Object> recorded) {
        Set<String> derived = new TreeSet<>();
        method.parameters().recorded().forEach(r -> derived.add(r.name()));
        Map<String, String> out = new LinkedHashMap<>();
        recorded.forEach((k, v) -> {
            if (!derived.contains(k)) {
                out.put(k, String.valueOf(v));
            }
        });
        return out;
    }
}

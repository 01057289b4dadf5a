package io.spotlight.attribution;

import io.spotlight.events.Identified;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One parameter of an attribution method, declared once: its name (in configuration, events and on
 * the command line), type, default, allowed values and what it does. Resolving a call's
 * parameters, checking configuration, the explain command's flags and help, the README's table and
 * the benchmark all read the declaration.
 *
 * <p>A default or a range may depend on the model or on the call's other parameters (declared
 * before it): those carry their own words for the docs. A parameter may apply only under some
 * values of a choice declared before it (a blur kernel only for the blur baseline).
 *
 * @param name the parameter's name
 * @param type the kind of value
 * @param doc what it does, in one line
 * @param valueType the Java type of a resolved value
 * @param choices the allowed ids (choices), else empty
 * @param range the allowed values whatever the model (numbers), or null
 * @param bounds narrower allowed values that depend on the model or other parameters, or null
 * @param fallback the value when none is given, or null when one must be given
 * @param condition when the parameter applies, or null for always
 * @param flag the explain command's flag for it
 */
public record ParameterSpec<T>(String name, ParameterType type, String doc, Class<T> valueType, List<String> choices,
                               Range range, Bounds bounds, Fallback<T> fallback, Condition condition, String flag) {

    /** Allowed numbers, ends included. */
    public record Range(double min, double max) {
        boolean contains(double v) {
            return v >= min && v <= max;
        }

        @Override
        public String toString() {
            return "[" + number(min) + ", " + number(max) + "]";
        }
    }

    /** Allowed numbers that depend on the model or on the parameters resolved before, and how the docs say so. */
    public record Bounds(String doc, Function<Parameters, Range> range) {}

    /** The value when none is given (it may depend on the model), and how the docs say it. */
    public record Fallback<T>(String doc, Function<Parameters, T> value) {}

    /** The parameter applies only when a choice declared before it has one of these ids. */
    public record Condition(ParameterSpec<?> choice, List<String> ids) {
        boolean holds(Parameters resolved) {
            return ids.contains(((Identified) resolved.get(choice)).id());
        }
    }

    public ParameterSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        Objects.requireNonNull(doc);
        choices = List.copyOf(choices);
    }

    /** An integer with no default (see {@link #byDefault}). */
    public static ParameterSpec<Integer> integer(String name, int min, int max, String doc) {
        return new ParameterSpec<>(name, ParameterType.INTEGER, doc, Integer.class, List.of(), new Range(min, max), null,
                null, null, "--" + name);
    }

    public static ParameterSpec<Integer> integer(String name, int fallback, int min, int max, String doc) {
        return integer(name, min, max, doc).withFallback(constant(fallback));
    }

    /** An integer whose range depends on the model (see {@link #within}). */
    public static ParameterSpec<Integer> integer(String name, int fallback, String doc) {
        return new ParameterSpec<>(name, ParameterType.INTEGER, doc, Integer.class, List.of(), null, null,
                constant(fallback), null, "--" + name);
    }

    public static ParameterSpec<Double> real(String name, double fallback, double min, double max, String doc) {
        return new ParameterSpec<>(name, ParameterType.REAL, doc, Double.class, List.of(), new Range(min, max), null,
                constant(fallback), null, "--" + name);
    }

    /** A choice among an enum's ids, with no default (see {@link #byDefault}). */
    public static <E extends Enum<E> & Identified> ParameterSpec<E> choice(String name, Class<E> type, String doc) {
        return new ParameterSpec<>(name, ParameterType.CHOICE, doc, type, Identified.ids(type), null, null, null, null, "--" + name);
    }

    public static <E extends Enum<E> & Identified> ParameterSpec<E> choice(String name, E fallback, String doc) {
        return choice(name, fallback.getDeclaringClass(), doc).withFallback(constant(fallback));
    }

    /** A file path, with no default: it must be given wherever it applies. */
    public static ParameterSpec<String> file(String name, String doc) {
        return new ParameterSpec<>(name, ParameterType.FILE, doc, String.class, List.of(), null, null, null, null, "--" + name);
    }

    private static <T> Fallback<T> constant(T value) {
        String text = value instanceof Identified i ? i.id() : value instanceof Double d ? number(d) : String.valueOf(value);
        return new Fallback<>("`" + text + "`", p -> value);
    }

    /** The same parameter with a default that depends on the model or on other parameters. */
    public ParameterSpec<T> byDefault(String doc, Function<Parameters, T> value) {
        return withFallback(new Fallback<>(doc, value));
    }

    private ParameterSpec<T> withFallback(Fallback<T> f) {
        return new ParameterSpec<>(name, type, doc, valueType, choices, range, bounds, f, condition, flag);
    }

    /** The same parameter, further bounded by the model or other parameters. */
    public ParameterSpec<T> within(String doc, Function<Parameters, Range> narrower) {
        return new ParameterSpec<>(name, type, this.doc, valueType, choices, range, new Bounds(doc, narrower), fallback, condition, flag);
    }

    /** The same parameter, applying only when the choice has one of these values. */
    @SafeVarargs
    public final <E extends Enum<E> & Identified> ParameterSpec<T> when(ParameterSpec<E> choice, E... values) {
        Condition c = new Condition(choice, Arrays.stream(values).map(Identified::id).toList());
        return new ParameterSpec<>(name, type, doc, valueType, choices, range, bounds, fallback, c, flag);
    }

    /** The same parameter under another flag of the explain command (where its name would be ambiguous there). */
    public ParameterSpec<T> flag(String flag) {
        return new ParameterSpec<>(name, type, doc, valueType, choices, range, bounds, fallback, condition, flag);
    }

    /**
     * The value of a given text, checked against what holds whatever the model (type, range,
     * choices): configuration is checked this way before any model is loaded.
     */
    public T parse(String text) {
        String t = text.trim();
        Object v = switch (type) {
            case INTEGER -> {
                try {
                    yield Integer.parseInt(t);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("parameter " + name + " must be an integer, got '" + text + "'");
                }
            }
            case REAL -> {
                try {
                    yield Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("parameter " + name + " must be a number, got '" + text + "'");
                }
            }
            case CHOICE -> {
                String id = t.toLowerCase(Locale.ROOT);
                yield Arrays.stream(valueType.getEnumConstants()).filter(c -> ((Identified) c).id().equals(id)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("parameter " + name + " must be one of " + choices
                                + ", got '" + id + "'"));
            }
            case FILE -> text;
        };
        T value = valueType.cast(v);
        check(value, range);
        return value;
    }

    /** Throws unless a number lies in the range (null: any). */
    void check(T value, Range allowed) {
        if (allowed != null && value instanceof Number n && !allowed.contains(n.doubleValue())) {
            throw new IllegalArgumentException("parameter " + name + " must be in " + allowed + ", got " + recorded(value));
        }
    }

    /** The value as an explanation records it: numbers as numbers, a choice by its id. */
    Object recorded(T value) {
        return value instanceof Identified i ? i.id() : value;
    }

    /**
     * What the parameter takes, in words: type, allowed values, default and when it applies. Literal
     * names and values are in backticks (Markdown), as in every doc of a declaration.
     */
    public String describe() {
        StringBuilder s = new StringBuilder();
        switch (type) {
            case INTEGER, REAL -> {
                s.append(type.id());
                if (range != null) {
                    s.append(" in ").append(range);
                }
                if (bounds != null) {
                    s.append(range != null ? "; " : " in ").append(bounds.doc());
                }
            }
            case CHOICE -> s.append("one of ").append(String.join(", ", choices.stream().map(c -> "`" + c + "`").toList()));
            case FILE -> s.append("a file");
        }
        s.append(fallback == null ? ", required" : ", default " + fallback.doc());
        if (condition != null) {
            s.append(", when `").append(condition.choice().name()).append("` is ")
                    .append(String.join(" or ", condition.ids().stream().map(c -> "`" + c + "`").toList()));
        }
        return s.toString();
    }

    /** A number as the docs write it: 50, 0.15, 0.000001. */
    static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}

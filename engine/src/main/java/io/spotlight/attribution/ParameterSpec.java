package io.spotlight.attribution;

import io.spotlight.events.Identified;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
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
 * @param auto for an integer that may also be {@code auto} (the method chooses, and records what it
 *     chose), what {@code auto} does; else null. Such a value is an {@link OptionalInt}, empty for {@code auto}.
 * @param parser for a text value, how it is read; else null
 */
public record ParameterSpec<T>(String name, ParameterType type, String doc, Class<T> valueType, List<String> choices,
                               Range range, Bounds bounds, Fallback<T> fallback, Condition condition, String flag,
                               String auto, Function<String, T> parser) {

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

    /** The parameter applies only when a parameter declared before it has one of these values (a choice's ids, or {@code auto}). */
    public record Condition(ParameterSpec<?> choice, List<String> ids) {
        boolean holds(Parameters resolved) {
            return ids.contains(choice.text(resolved.get(choice)));
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
                null, null, "--" + name, null, null);
    }

    public static ParameterSpec<Integer> integer(String name, int fallback, int min, int max, String doc) {
        return integer(name, min, max, doc).withFallback(constant(fallback));
    }

    /** An integer whose range depends on the model (see {@link #within}). */
    public static ParameterSpec<Integer> integer(String name, int fallback, String doc) {
        return new ParameterSpec<>(name, ParameterType.INTEGER, doc, Integer.class, List.of(), null, null,
                constant(fallback), null, "--" + name, null, null);
    }

    /**
     * An integer that may also be {@code auto}, meaning what {@code auto} says: the value is an
     * {@link OptionalInt}, empty for {@code auto}.
     */
    public static ParameterSpec<OptionalInt> integerOrAuto(String name, int fallback, int min, int max, String doc, String auto) {
        return new ParameterSpec<>(name, ParameterType.INTEGER, doc, OptionalInt.class, List.of(), new Range(min, max), null,
                constant(OptionalInt.of(fallback)), null, "--" + name, Objects.requireNonNull(auto), null);
    }

    /** A value written as text in a form the doc describes, read by {@code parser}. */
    public static <V> ParameterSpec<V> text(String name, Class<V> type, Function<String, V> parser, V fallback, String doc) {
        return new ParameterSpec<>(name, ParameterType.TEXT, doc, type, List.of(), null, null, constant(fallback), null, "--" + name,
                null, Objects.requireNonNull(parser));
    }

    public static ParameterSpec<Double> real(String name, double fallback, double min, double max, String doc) {
        return new ParameterSpec<>(name, ParameterType.REAL, doc, Double.class, List.of(), new Range(min, max), null,
                constant(fallback), null, "--" + name, null, null);
    }

    /** A choice among an enum's ids, with no default (see {@link #byDefault}). */
    public static <E extends Enum<E> & Identified> ParameterSpec<E> choice(String name, Class<E> type, String doc) {
        return new ParameterSpec<>(name, ParameterType.CHOICE, doc, type, Identified.ids(type), null, null, null, null, "--" + name,
                null, null);
    }

    public static <E extends Enum<E> & Identified> ParameterSpec<E> choice(String name, E fallback, String doc) {
        return choice(name, fallback.getDeclaringClass(), doc).withFallback(constant(fallback));
    }

    /** A file path, with no default: it must be given wherever it applies. */
    public static ParameterSpec<String> file(String name, String doc) {
        return new ParameterSpec<>(name, ParameterType.FILE, doc, String.class, List.of(), null, null, null, null, "--" + name,
                null, null);
    }

    private static <T> Fallback<T> constant(T value) {
        Object recorded = recordedOf(value);
        String text = recorded instanceof Double d ? number(d) : String.valueOf(recorded);
        return new Fallback<>("`" + text + "`", p -> value);
    }

    /** The same parameter with a default that depends on the model or on other parameters. */
    public ParameterSpec<T> byDefault(String doc, Function<Parameters, T> value) {
        return withFallback(new Fallback<>(doc, value));
    }

    private ParameterSpec<T> withFallback(Fallback<T> f) {
        return new ParameterSpec<>(name, type, doc, valueType, choices, range, bounds, f, condition, flag, auto, parser);
    }

    /** The same parameter, further bounded by the model or other parameters. */
    public ParameterSpec<T> within(String doc, Function<Parameters, Range> narrower) {
        return new ParameterSpec<>(name, type, this.doc, valueType, choices, range, new Bounds(doc, narrower), fallback, condition, flag,
                auto, parser);
    }

    /** The same parameter, applying only when the choice has one of these values. */
    @SafeVarargs
    public final <E extends Enum<E> & Identified> ParameterSpec<T> when(ParameterSpec<E> choice, E... values) {
        return when(new Condition(choice, Arrays.stream(values).map(Identified::id).toList()));
    }

    /** The same parameter, applying only when an integer that may be {@code auto} is {@code auto}. */
    public ParameterSpec<T> whenAuto(ParameterSpec<OptionalInt> count) {
        if (count.auto() == null) {
            throw new IllegalArgumentException(count.name() + " takes no auto");
        }
        return when(new Condition(count, List.of(AUTO)));
    }

    private ParameterSpec<T> when(Condition c) {
        return new ParameterSpec<>(name, type, doc, valueType, choices, range, bounds, fallback, c, flag, auto, parser);
    }

    /** The same parameter under another flag of the explain command (where its name would be ambiguous there). */
    public ParameterSpec<T> flag(String flag) {
        return new ParameterSpec<>(name, type, doc, valueType, choices, range, bounds, fallback, condition, flag, auto, parser);
    }

    /** How {@code auto} is written, where a parameter takes it. */
    public static final String AUTO = "auto";

    /**
     * The value of a given text, checked against what holds whatever the model (type, range,
     * choices): configuration is checked this way before any model is loaded.
     */
    public T parse(String text) {
        String t = text.trim();
        Object v = switch (type) {
            case INTEGER -> {
                if (auto != null && t.equalsIgnoreCase(AUTO)) {
                    yield OptionalInt.empty();
                }
                try {
                    int n = Integer.parseInt(t);
                    yield auto == null ? (Object) n : OptionalInt.of(n);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("parameter " + name + " must be an integer" + (auto == null ? "" : " or auto")
                            + ", got '" + text + "'");
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
            case TEXT -> parser.apply(text);
        };
        T value = valueType.cast(v);
        check(value, range);
        return value;
    }

    /** Throws unless a number lies in the range (null: any; {@code auto} is not a number and lies in any). */
    void check(T value, Range allowed) {
        Object number = recorded(value);
        if (allowed != null && number instanceof Number n && !allowed.contains(n.doubleValue())) {
            throw new IllegalArgumentException("parameter " + name + " must be in " + allowed + ", got " + number);
        }
    }

    /** The value as an explanation records it: numbers as numbers, a choice by its id, {@code auto}, a text as written. */
    Object recorded(T value) {
        return recordedOf(value);
    }

    private static Object recordedOf(Object value) {
        if (value instanceof Identified i) {
            return i.id();
        }
        if (value instanceof OptionalInt o) {
            return o.isPresent() ? (Object) o.getAsInt() : AUTO;
        }
        return value instanceof Number || value instanceof String ? value : String.valueOf(value);
    }

    /** A resolved value of this parameter as text (a condition compares it with the values it holds under). */
    String text(Object value) {
        return String.valueOf(recorded(valueType.cast(value)));
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
            case TEXT -> s.append("text");
        }
        if (auto != null) {
            s.append(", or `").append(AUTO).append("`: ").append(auto);
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

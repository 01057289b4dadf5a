package io.spotlight.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An enum whose constants go by one id everywhere (events, configuration, the command line, metric
 * labels): the constant's name in lower kebab case, LOW_CONFIDENCE as {@code low-confidence}.
 * Jackson writes and reads that id.
 */
public interface Identified {

    /** The constant's Java name (every enum has it). */
    String name();

    @JsonValue
    default String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Every id of an enum, in declaration order. */
    static <E extends Enum<E> & Identified> List<String> ids(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Identified::id).toList();
    }

    /**
     * The constant with this id (surrounding blanks and case ignored); an unknown id is an error
     * that names the known ones.
     */
    static <E extends Enum<E> & Identified> E of(Class<E> type, String id) {
        String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.id().equals(wanted)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + noun(type) + " '" + id + "'; known: " + String.join(", ", ids(type)));
    }

    /** What a value of the type is called in messages: IntegrationRule is "integration rule". */
    private static String noun(Class<?> type) {
        return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
}

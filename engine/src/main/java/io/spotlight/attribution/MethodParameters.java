package io.spotlight.attribution;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A method's declaration: the parameters it takes, in the order they are resolved (a parameter's
 * default, range or condition may look at those before it), and the values it derives and records
 * beside them.
 */
public record MethodParameters(List<ParameterSpec<?>> parameters, List<RecordedValue> recorded) {

    public MethodParameters {
        parameters = List.copyOf(parameters);
        recorded = List.copyOf(recorded);
        if (parameters.stream().map(ParameterSpec::name).distinct().count() != parameters.size()) {
            throw new IllegalArgumentException("a parameter is declared twice: " + parameters.stream().map(ParameterSpec::name).toList());
        }
    }

    public static MethodParameters of(ParameterSpec<?>... parameters) {
        return new MethodParameters(Arrays.asList(parameters), List.of());
    }

    /** The same declaration, also recording these derived values. */
    public MethodParameters recording(RecordedValue... values) {
        return new MethodParameters(parameters, Arrays.asList(values));
    }

    public Optional<ParameterSpec<?>> find(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public List<String> names() {
        return parameters.stream().map(ParameterSpec::name).toList();
    }
}

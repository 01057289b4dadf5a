package io.spotlight.attribution;

import java.util.Map;

/** A method and the parameters it is asked to run with (unset ones take the method's defaults). */
public record MethodCall(Method method, Map<String, String> parameters) {

    public MethodCall {
        parameters = Map.copyOf(parameters);
    }

    public static MethodCall of(Method method) {
        return new MethodCall(method, Map.of());
    }
}

package io.spotlight.attribution;

/**
 * A value a method records among its parameters but derives itself (a record's seed, how heads were
 * fused, an effective kernel size): part of what an explanation says it used, never given again as
 * itself. One that {@code settles} a parameter given as {@code auto} (the steps integrated
 * gradients chose) is given again as that parameter, so a replay repeats the choice.
 */
public record RecordedValue(String name, String doc, ParameterSpec<?> settles) {

    public RecordedValue(String name, String doc) {
        this(name, doc, null);
    }
}

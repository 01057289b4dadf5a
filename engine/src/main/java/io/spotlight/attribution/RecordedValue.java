package io.spotlight.attribution;

/**
 * A value a method records among its parameters but derives itself (a record's seed, how heads were
 * fused, an effective kernel size): part of what an explanation says it used, never given again.
 */
public record RecordedValue(String name, String doc) {}

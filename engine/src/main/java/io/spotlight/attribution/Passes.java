package io.spotlight.attribution;

/** The pass size of a method run: every method takes it. */
public final class Passes {

    private Passes() {}

    /** Rows per forward/backward pass; recorded with the parameters because it fixes the numbers' last bits. */
    public static final ParameterSpec<Integer> CHUNK = ParameterSpec.integer("chunk", 1, 1_000_000,
                    "Rows per forward/backward pass; it fixes the last bits of the numbers, so it is recorded.")
            .byDefault("the model's `chunk` setting", p -> p.settings().chunk());
}

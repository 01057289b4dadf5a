package io.spotlight.attribution;

import io.spotlight.model.LoadedModel;

/** The pass size of a method run: the model's chunk setting unless the call names another. */
final class Passes {

    private Passes() {}

    /** Rows per forward/backward pass; recorded with the parameters because it fixes the numbers' last bits. */
    static int chunk(Parameters parameters, LoadedModel model) {
        return parameters.integer("chunk", model.settings().chunk(), 1, 1_000_000);
    }
}

package io.spotlight.model;

import java.util.List;

/** A prediction's input, decoded to what the model consumes (no batch axis). */
public sealed interface ModelInput {

    /** A float tensor in C order: an image after preprocessing, or a tensor as sent. */
    record Dense(float[] values, long[] shape) implements ModelInput {}

    /** Token ids of a text model, with the tokens for display (padding included). */
    record Tokens(Tokenizer.Encoding encoding) implements ModelInput {
        public List<String> tokens() {
            return encoding.tokens();
        }
    }
}

package io.spotlight.oip;

import java.time.Instant;
import java.util.List;

/**
 * An inference request or response in any of the protocol's encodings: the id that pairs them, the
 * model as the server names it (either may be empty), when it happened where the envelope says
 * (CloudEvents' time; null otherwise), and its input or output tensors.
 */
public record InferMessage(Role role, String id, String modelName, String modelVersion, Instant time, List<InferTensor> tensors) {

    public enum Role {
        REQUEST, RESPONSE;

        /** What the protocol calls this role's tensors. */
        public String tensors() {
            return this == REQUEST ? "inputs" : "outputs";
        }
    }

    /** The same message under another id (a record key or an envelope's id takes precedence over the body's). */
    public InferMessage withId(String newId) {
        return new InferMessage(role, newId, modelName, modelVersion, time, tensors);
    }
}

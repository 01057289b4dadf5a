package io.spotlight.validation;

import io.spotlight.events.Identified;
import io.spotlight.events.InvalidInputException;
import io.spotlight.oip.CloudEvents;
import io.spotlight.oip.InferMessage;
import io.spotlight.oip.OipJson;
import io.spotlight.oip.OipProtobuf;
import java.util.Map;

/** How the records of a source topic are written. */
public enum InputFormat implements Identified {
    /** Spotlight's prediction events (schemas/prediction.schema.json): one record, one prediction. */
    SPOTLIGHT,
    /** Open Inference Protocol JSON bodies, requests and responses on their own topics. */
    OIP_JSON,
    /** Open Inference Protocol ModelInferRequest / ModelInferResponse bytes (Seldon Core 2's model topics). */
    OIP_PROTOBUF,
    /** KServe payload-logger CloudEvents, binary or structured mode; requests and responses may share a topic. */
    CLOUDEVENTS;

    public static InputFormat of(String id) {
        return Identified.of(InputFormat.class, id);
    }

    /** Whether a record is half of a prediction (a request or a response) that must be joined. */
    public boolean joins() {
        return this != SPOTLIGHT;
    }

    /** Whether the topic's role (requests or responses) comes from each record rather than the configuration. */
    public boolean rolePerRecord() {
        return this == CLOUDEVENTS;
    }

    /** Reads a request or response; {@code role} is the topic's, unused where each record says its own. */
    public InferMessage read(byte[] value, Map<String, String> headers, InferMessage.Role role) throws InvalidInputException {
        return switch (this) {
            case OIP_JSON -> OipJson.read(value, role);
            case OIP_PROTOBUF -> OipProtobuf.read(value, role);
            case CLOUDEVENTS -> CloudEvents.read(value, headers);
            case SPOTLIGHT -> throw new IllegalStateException("Spotlight's events are validated, not joined");
        };
    }
}

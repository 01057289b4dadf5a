package io.spotlight.oip;

import static io.spotlight.events.DeadLetter.Reason.MALFORMED_CLOUDEVENT;
import static io.spotlight.events.DeadLetter.Reason.MALFORMED_JSON;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spotlight.events.InvalidInputException;
import io.spotlight.events.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * KServe's payload-logger events on Kafka (CloudEvents 1.0, Kafka protocol binding). Binary mode:
 * the attributes are {@code ce_*} headers ({@code ce-*} as HTTP spells them is accepted too) and
 * the value is the body; structured mode: the value is a JSON envelope
 * ({@code application/cloudevents+json}) with {@code data} or {@code data_base64}. The type says
 * request or response ({@code org.kubeflow.serving.inference.request} / {@code .response}); the
 * event id pairs them (KServe gives a request's two events the same id); the model is the body's
 * model_name, else the {@code inferenceservicename} extension. Bodies are the protocol's JSON, or
 * its Protobuf where the content type says so.
 */
public final class CloudEvents {

    public static final String REQUEST_TYPE = "org.kubeflow.serving.inference.request";
    public static final String RESPONSE_TYPE = "org.kubeflow.serving.inference.response";
    public static final String STRUCTURED = "application/cloudevents+json";

    private static final ObjectReader READER = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private CloudEvents() {}

    /** Reads an event in either mode; {@code headers} are the record's headers (last value of each name). */
    public static InferMessage read(byte[] value, Map<String, String> headers) throws InvalidInputException {
        Map<String, String> h = lowerCase(headers);
        String contentType = h.getOrDefault("content-type", "");
        if (!contentType.startsWith(STRUCTURED) && (h.containsKey("ce_specversion") || h.containsKey("ce-specversion"))) {
            Map<String, String> attributes = new LinkedHashMap<>();
            h.forEach((k, v) -> {
                if (k.startsWith("ce_") || k.startsWith("ce-")) {
                    attributes.put(k.substring(3), v);
                }
            });
            return message(attributes, contentType, value);
        }
        JsonNode envelope;
        try {
            envelope = READER.readTree(value);
        } catch (IOException e) {
            throw new InvalidInputException(MALFORMED_JSON, "structured CloudEvent: " + OipJson.brief(e));
        }
        if (envelope == null || !envelope.isObject() || !envelope.has("specversion")) {
            throw new InvalidInputException(MALFORMED_CLOUDEVENT,
                    "neither a binary-mode CloudEvent (no ce_specversion header) nor a structured one (no specversion attribute)");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        envelope.fields().forEachRemaining(f -> {
            if (f.getValue().isValueNode() && !f.getKey().equals("data") && !f.getKey().equals("data_base64")) {
                attributes.put(f.getKey(), f.getValue().asText());
            }
        });
        String dataType = attributes.getOrDefault("datacontenttype", "application/json");
        InferMessage.Role role = role(attributes);
        if (envelope.hasNonNull("data_base64")) {
            byte[] data;
            try {
                data = Base64.getDecoder().decode(envelope.get("data_base64").asText());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(MALFORMED_CLOUDEVENT, "data_base64 is not base64: " + e.getMessage());
            }
            return finish(body(data, dataType, role), attributes);
        }
        JsonNode data = envelope.get("data");
        if (data == null || data.isNull()) {
            throw new InvalidInputException(MALFORMED_CLOUDEVENT, "the event has no data");
        }
        // JSON data may be inline or, as some producers write it, a string holding the JSON.
        if (data.isTextual()) {
            return finish(OipJson.read(data.asText().getBytes(StandardCharsets.UTF_8), role), attributes);
        }
        return finish(OipJson.read(data, role), attributes);
    }

    /** Binary mode: the headers of an event for {@code m} (its body is {@link OipJson#write}). */
    public static Map<String, String> binaryHeaders(InferMessage m, String source, Instant time) {
        Map<String, String> h = new LinkedHashMap<>();
        attributes(m, source, time).forEach((k, v) -> h.put("ce_" + k, v));
        h.put("content-type", "application/json");
        return h;
    }

    /** Structured mode: the whole event as one JSON value. */
    public static byte[] structured(InferMessage m, String source, Instant time) {
        ObjectNode envelope = Json.MAPPER.createObjectNode();
        attributes(m, source, time).forEach(envelope::put);
        envelope.put("datacontenttype", "application/json");
        envelope.set("data", OipJson.tree(m));
        return Json.bytes(envelope);
    }

    private static Map<String, String> attributes(InferMessage m, String source, Instant time) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("specversion", "1.0");
        a.put("id", m.id());
        a.put("type", m.role() == InferMessage.Role.REQUEST ? REQUEST_TYPE : RESPONSE_TYPE);
        a.put("source", source);
        a.put("time", time.toString());
        if (m.modelName() != null && !m.modelName().isEmpty()) {
            a.put("inferenceservicename", m.modelName());
        }
        return a;
    }

    private static InferMessage message(Map<String, String> attributes, String contentType, byte[] value) throws InvalidInputException {
        return finish(body(value, contentType.isEmpty() ? attributes.getOrDefault("datacontenttype", "application/json") : contentType,
                role(attributes)), attributes);
    }

    private static InferMessage body(byte[] data, String contentType, InferMessage.Role role) throws InvalidInputException {
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.contains("protobuf") ? OipProtobuf.read(data, role) : OipJson.read(data, role);
    }

    private static InferMessage finish(InferMessage body, Map<String, String> attributes) throws InvalidInputException {
        String id = attributes.get("id");
        if (id == null || id.isEmpty()) {
            throw new InvalidInputException(MALFORMED_CLOUDEVENT, "the event has no id");
        }
        String model = body.modelName() == null || body.modelName().isEmpty()
                ? attributes.getOrDefault("inferenceservicename", "") : body.modelName();
        Instant time = null;
        if (attributes.containsKey("time")) {
            try {
                time = Instant.parse(attributes.get("time"));
            } catch (DateTimeParseException e) {
                throw new InvalidInputException(MALFORMED_CLOUDEVENT, "time '" + attributes.get("time") + "' is not RFC 3339");
            }
        }
        return new InferMessage(body.role(), id, model, body.modelVersion(), time, body.tensors());
    }

    private static InferMessage.Role role(Map<String, String> attributes) throws InvalidInputException {
        String type = attributes.getOrDefault("type", "");
        if (type.endsWith(".request")) {
            return InferMessage.Role.REQUEST;
        }
        if (type.endsWith(".response")) {
            return InferMessage.Role.RESPONSE;
        }
        throw new InvalidInputException(MALFORMED_CLOUDEVENT, "type '" + type + "' is neither an inference request nor a response"
                + " (expected " + REQUEST_TYPE + " or " + RESPONSE_TYPE + ")");
    }

    private static Map<String, String> lowerCase(Map<String, String> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        headers.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }
}

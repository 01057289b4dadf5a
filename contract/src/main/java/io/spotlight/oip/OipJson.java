package io.spotlight.oip;

import static io.spotlight.events.DeadLetter.Reason.BAD_ENCODING;
import static io.spotlight.events.DeadLetter.Reason.MALFORMED_JSON;
import static io.spotlight.events.DeadLetter.Reason.SCHEMA_INVALID;
import static io.spotlight.events.DeadLetter.Reason.SHAPE_MISMATCH;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spotlight.events.InvalidInputException;
import io.spotlight.events.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The protocol's HTTP/REST JSON bodies ($inference_request, $inference_response; what KServe's
 * payload logger carries) to and from {@link InferMessage}. Tensor data may be flat or nested
 * row-major; BYTES elements are strings, base64 where the tensor's parameters say
 * {@code "content_type": "base64"} (MLServer's convention for binary data).
 */
public final class OipJson {

    private static final ObjectReader READER = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private OipJson() {}

    public static InferMessage read(byte[] json, InferMessage.Role role) throws InvalidInputException {
        JsonNode node;
        try {
            node = READER.readTree(json);
        } catch (IOException e) {
            throw new InvalidInputException(MALFORMED_JSON, brief(e));
        }
        return read(node, role);
    }

    static InferMessage read(JsonNode node, InferMessage.Role role) throws InvalidInputException {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException(SCHEMA_INVALID, "an inference " + role.name().toLowerCase() + " must be a JSON object");
        }
        JsonNode tensors = node.path(role.tensors());
        if (!tensors.isArray()) {
            throw new InvalidInputException(SCHEMA_INVALID, "an inference " + role.name().toLowerCase() + " needs an array '" + role.tensors() + "'");
        }
        List<InferTensor> out = new ArrayList<>(tensors.size());
        for (JsonNode t : tensors) {
            out.add(tensor(t));
        }
        return new InferMessage(role, text(node, "id"), text(node, "model_name"), text(node, "model_version"), null, out);
    }

    public static byte[] write(InferMessage m) {
        return Json.bytes(tree(m));
    }

    static ObjectNode tree(InferMessage m) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("id", m.id());
        if (m.modelName() != null && !m.modelName().isEmpty()) {
            root.put("model_name", m.modelName());
        }
        if (m.modelVersion() != null && !m.modelVersion().isEmpty()) {
            root.put("model_version", m.modelVersion());
        }
        ArrayNode tensors = root.putArray(m.role().tensors());
        for (InferTensor t : m.tensors()) {
            ObjectNode o = tensors.addObject();
            o.put("name", t.name());
            ArrayNode shape = o.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            o.put("datatype", t.datatype().name());
            ArrayNode data = o.putArray("data");
            if (t.datatype() == Datatype.BYTES) {
                writeBytes(t, o, data);
            } else {
                ByteBuffer b = t.buffer();
                for (int i = 0; i < t.count(); i++) {
                    switch (t.datatype()) {
                        case BOOL -> data.add(b.get(i) != 0);
                        case INT64 -> data.add(b.getLong(8 * i));
                        case UINT64 -> data.add(new BigInteger(Long.toUnsignedString(b.getLong(8 * i))));
                        case FP16, FP32 -> data.add((float) t.datatype().value(b, i));
                        default -> data.add(t.datatype().value(b, i));
                    }
                }
            }
        }
        return root;
    }

    private static void writeBytes(InferTensor t, ObjectNode o, ArrayNode data) {
        List<byte[]> elements = t.byteElements();
        List<String> texts = new ArrayList<>(elements.size());
        for (byte[] e : elements) {
            try {
                texts.add(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(e)).toString());
            } catch (CharacterCodingException notText) {
                o.putObject("parameters").put("content_type", "base64");
                elements.forEach(x -> data.add(Base64.getEncoder().encodeToString(x)));
                return;
            }
        }
        texts.forEach(data::add);
    }

    private static InferTensor tensor(JsonNode t) throws InvalidInputException {
        String name = t.path("name").isTextual() ? t.get("name").asText() : null;
        if (name == null || !t.path("datatype").isTextual() || !t.path("shape").isArray() || !t.path("data").isArray()) {
            throw new InvalidInputException(SCHEMA_INVALID, "tensor " + (name == null ? "without a name" : "'" + name + "'")
                    + ": a tensor needs name, shape, datatype and data");
        }
        Datatype datatype = Datatype.of(t.get("datatype").asText());
        long[] shape = new long[t.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = t.get("shape").get(i);
            if (!d.canConvertToExactIntegral() || !d.canConvertToLong()) {
                throw new InvalidInputException(SCHEMA_INVALID, "tensor '" + name + "': shape " + t.get("shape") + " is not a list of integers");
            }
            shape[i] = d.asLong();
        }
        long n = InferTensor.elements(name, shape);
        List<JsonNode> flat = new ArrayList<>((int) Math.min(n, 1 << 16));
        flatten(t.get("data"), flat, name, n);
        if (flat.size() != n) {
            throw new InvalidInputException(SHAPE_MISMATCH, "tensor '" + name + "' has shape " + t.get("shape") + " (" + n
                    + " elements) but " + flat.size() + " data elements");
        }
        if (datatype == Datatype.BYTES) {
            boolean base64 = "base64".equals(t.path("parameters").path("content_type").asText(null));
            List<byte[]> elements = new ArrayList<>(flat.size());
            for (JsonNode e : flat) {
                if (!e.isTextual()) {
                    throw new InvalidInputException(BAD_ENCODING, "tensor '" + name + "': BYTES data must be strings, found " + e.getNodeType());
                }
                elements.add(base64 ? base64(e.asText(), name) : e.asText().getBytes(StandardCharsets.UTF_8));
            }
            return InferTensor.of(name, datatype, shape, InferTensor.rawBytes(elements));
        }
        ByteBuffer out = ByteBuffer.allocate((int) n * datatype.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            put(datatype, out, i, flat.get(i), name);
        }
        return InferTensor.of(name, datatype, shape, out.array());
    }

    private static void put(Datatype datatype, ByteBuffer out, int i, JsonNode e, String name) throws InvalidInputException {
        if (datatype == Datatype.BOOL) {
            if (!e.isBoolean()) {
                throw notA(datatype, e, name);
            }
            datatype.putInteger(out, i, e.asBoolean() ? 1 : 0);
        } else if (datatype.isFloat()) {
            if (!e.isNumber()) {
                throw notA(datatype, e, name);
            }
            datatype.putFloat(out, i, e.asDouble());
        } else {
            if (!e.isNumber() || !e.canConvertToExactIntegral()) {
                throw notA(datatype, e, name);
            }
            BigInteger v = e.bigIntegerValue();
            boolean fits = datatype == Datatype.UINT64
                    ? v.signum() >= 0 && v.compareTo(TWO_TO_64) < 0
                    : v.bitLength() < 64 && datatype.fits(v.longValue());
            if (!fits) {
                throw notA(datatype, e, name);
            }
            datatype.putInteger(out, i, v.longValue());
        }
    }

    private static InvalidInputException notA(Datatype datatype, JsonNode e, String name) {
        String shown = e.toString();
        return new InvalidInputException(BAD_ENCODING, "tensor '" + name + "': " + (shown.length() > 40 ? shown.substring(0, 40) + "..." : shown)
                + " is not a " + datatype + " value");
    }

    private static void flatten(JsonNode data, List<JsonNode> into, String name, long limit) throws InvalidInputException {
        for (JsonNode e : data) {
            if (e.isArray()) {
                flatten(e, into, name, limit);
            } else {
                into.add(e);
            }
            if (into.size() > limit) {
                throw new InvalidInputException(SHAPE_MISMATCH, "tensor '" + name + "' has more data elements than its shape holds (" + limit + ")");
            }
        }
    }

    private static byte[] base64(String s, String name) throws InvalidInputException {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(BAD_ENCODING, "tensor '" + name + "': an element is not base64: " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String field) throws InvalidInputException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new InvalidInputException(SCHEMA_INVALID, "'" + field + "' must be a string");
        }
        return v.asText();
    }

    static String brief(Exception e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        m = m == null ? "" : m.replace('\n', ' ');
        return m.length() <= 1000 ? m : m.substring(0, 1000) + "...";
    }
}

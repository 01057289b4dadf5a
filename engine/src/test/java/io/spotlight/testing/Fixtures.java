package io.spotlight.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotlight.attribution.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.StreamSupport;

/** Reads the reference attributions tools/export_fixtures.py computed with PyTorch autograd. */
public final class Fixtures {

    private Fixtures() {}

    public static JsonNode load(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name + "; run tools/export_fixtures.py");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<JsonNode> cases(String name) {
        return StreamSupport.stream(load(name).get("cases").spliterator(), false).toList();
    }

    /** A {"shape": [...], "data": [...]} node as a tensor. */
    public static Tensor tensor(JsonNode node) {
        JsonNode data = node.get("data");
        float[] values = new float[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) data.get(i).asDouble();
        }
        long[] shape = StreamSupport.stream(node.get("shape").spliterator(), false).mapToLong(JsonNode::asLong).toArray();
        return new Tensor(values, shape);
    }

    public static float[] values(JsonNode node) {
        return tensor(node).values();
    }
}

package io.spotlight.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spotlight.events.EncodedMap;
import io.spotlight.events.Json;
import io.spotlight.model.Png;
import java.util.Base64;
import java.util.List;

/** Prediction events as JSON trees, so tests can break them in every way a producer might. */
public final class TestEvents {

    private TestEvents() {}

    public static ObjectNode image(String id, int sample, double[] probabilities, List<String> flags) {
        ObjectNode e = base(id, "fashion-cnn", "1", probabilities);
        ObjectNode input = e.putObject("input");
        input.put("kind", "image").put("format", "png").put("data", Base64.getEncoder().encodeToString(png(SampleImages.raw(sample))));
        if (!flags.isEmpty()) {
            ArrayNode f = e.putArray("flags");
            flags.forEach(f::add);
        }
        return e;
    }

    public static ObjectNode tensor(String id, float[] values, int... shape) {
        ObjectNode e = base(id, "fashion-cnn", "1", lowConfidence());
        ObjectNode input = e.putObject("input");
        input.put("kind", "tensor").put("dtype", "float32");
        ArrayNode s = input.putArray("shape");
        for (int d : shape) {
            s.add(d);
        }
        input.put("data", base64(values));
        return e;
    }

    public static ObjectNode base(String id, String model, String version, double[] probabilities) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("id", id);
        e.putObject("model").put("id", model).put("version", version);
        e.put("timestamp", "2026-11-24T10:00:00Z");
        ObjectNode p = e.putObject("prediction");
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        p.put("class", best);
        ArrayNode probs = p.putArray("probabilities");
        for (double v : probabilities) {
            probs.add(v);
        }
        return e;
    }

    /** Top-1 0.40, runner-up 0.35: low confidence and a small margin. */
    public static double[] lowConfidence() {
        return new double[] {0.05, 0.02, 0.03, 0.40, 0.35, 0.05, 0.04, 0.02, 0.02, 0.02};
    }

    public static double[] confident() {
        return new double[] {0.01, 0.01, 0.01, 0.91, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01};
    }

    public static byte[] bytes(ObjectNode event) {
        return Json.bytes(event);
    }

    public static String base64(float[] values) {
        return Base64.getEncoder().encodeToString(EncodedMap.littleEndian(values));
    }

    public static byte[] png(byte[] gray28) {
        return Png.grey(gray28, 28, 28);
    }
}

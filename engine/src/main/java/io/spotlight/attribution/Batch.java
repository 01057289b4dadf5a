package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import io.spotlight.model.ModelInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Splits batched results ([R, ...] arrays) into one {@link Attribution} per subject. */
final class Batch {

    private Batch() {}

    static int[] targets(List<Subject> subjects) {
        return subjects.stream().mapToInt(Subject::target).toArray();
    }

    /** Row r of a [R, ...] array, for every r, in one transfer from the engine. */
    static List<Tensor> rows(NDArray batch) {
        long[] shape = batch.getShape().getShape();
        long[] rowShape = Arrays.copyOfRange(shape, 1, shape.length);
        float[] all = batch.toFloatArray();
        int rows = (int) shape[0];
        int per = all.length / Math.max(1, rows);
        List<Tensor> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            out.add(new Tensor(Arrays.copyOfRange(all, r * per, (r + 1) * per), rowShape));
        }
        return out;
    }

    /** The tokens of a text subject, or null. */
    static List<String> tokens(Subject s) {
        return s.input() instanceof ModelInput.Tokens t ? t.tokens() : null;
    }

    /** sum, min, max and absolute sum of a raw attribution. */
    static Map<String, Double> summary(Tensor raw) {
        double sum = 0;
        double abs = 0;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : raw.values()) {
            sum += v;
            abs += Math.abs(v);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("sum", sum);
        out.put("abs_sum", abs);
        out.put("min", (double) min);
        out.put("max", (double) max);
        return out;
    }

    /**
     * Parameters of one subject: the batch's effective parameters (read once per batch), the
     * shapes of the passes its rows went through, and what the method derived for it alone (its
     * seed where the method draws, the steps integrated gradients chose).
     */
    static Map<String, Object> parameters(Map<String, Object> effective, PassLayout layout, Map<String, Object> derived) {
        Map<String, Object> m = new TreeMap<>(effective);
        m.put(Passes.PASSES.name(), layout.toString());
        m.putAll(derived);
        return Collections.unmodifiableMap(m);
    }

    /** What a drawing method derives for a subject: its seed. */
    static Map<String, Object> seed(Subject s) {
        return Map.of(Subject.SEED.name(), s.seed());
    }

    static double elapsedPerRecord(long startNanos, int records) {
        return (System.nanoTime() - startNanos) / 1e6 / Math.max(1, records);
    }
}

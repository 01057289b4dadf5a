package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The passes that carry a call's rows: the pass shape of every row, and the passes that makes. Rows
 * of one shape share passes in row order; where they do not fill the last one it is padded with
 * copies of its first row, whose results are dropped. Every method runs the model through
 * {@link #run}, so every method's rows get the shapes the schedule says, and the schedule says, per
 * record, what to record for a replay to repeat them ({@link #layout}). A new kind of pass (a
 * forward alone over many perturbed copies of each record, say) needs only its
 * {@link PassFunction}: {@code Passes.schedule} lays out the rows, {@code run} runs them.
 */
final class PassSchedule {

    /** One pass: its shape and the rows it carries, in order (fewer than its shape where it is padded). */
    record Pass(int shape, int[] rows) {

        /** Rows [from, to) of a batch, for one pass of rows in order. */
        boolean contiguous() {
            return rows[rows.length - 1] - rows[0] == rows.length - 1;
        }

        /** This pass's rows of a batch [rows, ...] (null for null), padded to the pass's shape. */
        NDArray take(NDArray batch) {
            if (batch == null) {
                return null;
            }
            NDArray mine;
            if (!contiguous()) {
                mine = batch.get(batch.getManager().create(Arrays.stream(rows).asLongStream().toArray()));
            } else if (rows.length == batch.getShape().get(0)) {
                mine = batch;
            } else {
                mine = batch.get(rows[0] + ":" + (rows[rows.length - 1] + 1));
            }
            long have = mine.getShape().get(0);
            return have == shape ? mine : NDArrays.concat(new NDList(mine, mine.get("0:1").repeat(0, shape - have)));
        }
    }

    /** What a pass computes: arrays with one row per row of the pass (padding rows included); an output may be null. */
    @FunctionalInterface
    interface PassFunction {
        List<NDArray> apply(List<NDArray> inputs, Pass pass);
    }

    private final int[] shapeOfRow;
    private final List<Pass> passes = new ArrayList<>();

    private PassSchedule(int[] shapeOfRow) {
        this.shapeOfRow = shapeOfRow;
        Map<Integer, List<Integer>> byShape = new LinkedHashMap<>();
        for (int r = 0; r < shapeOfRow.length; r++) {
            byShape.computeIfAbsent(shapeOfRow[r], s -> new ArrayList<>()).add(r);
        }
        byShape.forEach((shape, rows) -> {
            for (int from = 0; from < rows.size(); from += shape) {
                passes.add(new Pass(shape, rows.subList(from, Math.min(rows.size(), from + shape)).stream().mapToInt(Integer::intValue).toArray()));
            }
        });
    }

    /** Every row in a pass of its given shape. */
    static PassSchedule of(int[] shapeOfRow) {
        return new PassSchedule(shapeOfRow.clone());
    }

    /** {@code rows} rows in order through passes of these shapes (the last one may hold fewer rows than its shape). */
    static PassSchedule inOrder(List<Integer> shapes, int rows) {
        int[] shapeOfRow = new int[rows];
        int r = 0;
        for (int shape : shapes) {
            for (int i = 0; i < shape && r < rows; i++) {
                shapeOfRow[r++] = shape;
            }
        }
        if (r < rows) {
            throw new IllegalArgumentException("passes " + shapes + " hold fewer than " + rows + " rows");
        }
        return new PassSchedule(shapeOfRow);
    }

    int rows() {
        return shapeOfRow.length;
    }

    List<Pass> passes() {
        return passes;
    }

    /** The pass shape of a row. */
    int shapeOf(int row) {
        return shapeOfRow[row];
    }

    /** What to record of rows [from, to) (one record's): the shapes they went through. */
    PassLayout layout(int from, int to) {
        return PassLayout.of(Arrays.copyOfRange(shapeOfRow, from, to));
    }

    /**
     * Runs every pass and returns each output of {@code fn} with one row per row of the schedule, in
     * row order: padding dropped, and rows that shared a pass with rows of other records put back in
     * their places.
     *
     * @param inputs arrays with one row per row of the schedule (an element may be null)
     */
    List<NDArray> run(List<NDArray> inputs, PassFunction fn) {
        List<List<NDArray>> outputs = new ArrayList<>();
        int[] order = new int[rows()];
        int k = 0;
        for (Pass pass : passes) {
            List<NDArray> in = new ArrayList<>(inputs.size());
            for (NDArray a : inputs) {
                in.add(pass.take(a));
            }
            List<NDArray> out = fn.apply(in, pass);
            while (outputs.size() < out.size()) {
                outputs.add(new ArrayList<>());
            }
            for (int j = 0; j < out.size(); j++) {
                NDArray o = out.get(j);
                outputs.get(j).add(o == null ? null : o.getShape().get(0) == pass.rows().length ? o : o.get("0:" + pass.rows().length));
            }
            for (int r : pass.rows()) {
                order[k++] = r;
            }
        }
        long[] place = inverse(order);
        List<NDArray> result = new ArrayList<>(outputs.size());
        for (List<NDArray> parts : outputs) {
            if (parts.contains(null)) {
                result.add(null);
                continue;
            }
            NDArray all = parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts));
            result.add(place == null ? all : all.get(all.getManager().create(place)));
        }
        return result;
    }

    /** For rows run in {@code order}, where each row's result is; null when they ran in row order. */
    private static long[] inverse(int[] order) {
        boolean identity = true;
        long[] place = new long[order.length];
        for (int q = 0; q < order.length; q++) {
            place[order[q]] = q;
            identity &= order[q] == q;
        }
        return identity ? null : place;
    }
}

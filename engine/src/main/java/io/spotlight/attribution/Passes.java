package io.spotlight.attribution;

import java.util.Arrays;
import java.util.Collections;

/**
 * How a method call's rows go through the model: the largest pass ({@code chunk}) and the shape of
 * every pass ({@code passes}). Every method takes both, and records, per record, the shapes its
 * rows went through: they fix the last bits of its numbers.
 */
public final class Passes {

    private Passes() {}

    /** Rows per forward/backward pass; recorded with the parameters because it fixes the numbers' last bits. */
    public static final ParameterSpec<Integer> CHUNK = ParameterSpec.integer("chunk", 1, 1_000_000,
                    "The most rows in one forward/backward pass: the top of the ladder of pass shapes 1, 2, 4, … `chunk` where `passes` is "
                            + "taken; elsewhere (the curve scores) every pass has exactly `chunk` rows, padded.")
            .byDefault("the model's `chunk` setting", p -> p.settings().chunk());

    public static final ParameterSpec<PassLayout> PASSES = ParameterSpec.text("passes", PassLayout.class, PassLayout::parse,
            PassLayout.AUTO, "How a record's rows go through the model: `auto` picks pass shapes from the ladder by the rows "
                    + "present (a lone record runs a pass of one row); `chunk` runs every pass at `chunk` rows, padded; a recorded "
                    + "layout such as `16:48,4:4` (48 rows in passes of 16, then 4 in a pass of 4) repeats one. A row's last bits "
                    + "depend on its pass's shape, so each explanation records its layout and a replay gives it back.");

    /** The ladder of a call's model and chunk. */
    static PassLadder ladder(Parameters parameters) {
        return new PassLadder(parameters.get(CHUNK), parameters.settings().passOverhead());
    }

    /** The passes of a call over {@code records} records of {@code rowsPerRecord} rows each, their rows record after record. */
    static PassSchedule schedule(Parameters parameters, int records, int rowsPerRecord) {
        int[] rows = new int[records];
        Arrays.fill(rows, rowsPerRecord);
        return schedule(parameters, rows);
    }

    /** The passes of a call whose record i sends {@code rowsPerRecord[i]} rows, record after record. */
    static PassSchedule schedule(Parameters parameters, int[] rowsPerRecord) {
        PassLayout layout = parameters.get(PASSES);
        int total = Arrays.stream(rowsPerRecord).sum();
        int chunk = parameters.get(CHUNK);
        return switch (layout.mode()) {
            case AUTO -> PassSchedule.inOrder(ladder(parameters).shapes(total), total);
            case CHUNK -> PassSchedule.inOrder(Collections.nCopies((total + chunk - 1) / chunk, chunk), total);
            case RECORDED -> {
                int[] shapes = new int[total];
                int at = 0;
                for (int rows : rowsPerRecord) {
                    if (layout.rows() != rows) {
                        throw new IllegalArgumentException("passes " + layout + " lays out " + layout.rows() + " rows; "
                                + parameters.method().id() + " sends " + rows + " per record with these parameters");
                    }
                    System.arraycopy(layout.shapeOfRow(), 0, shapes, at, rows);
                    at += rows;
                }
                yield PassSchedule.of(shapes);
            }
        };
    }
}

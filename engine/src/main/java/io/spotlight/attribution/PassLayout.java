package io.spotlight.attribution;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a record's rows go through the model, the value of the {@code passes} parameter: chosen from
 * the model's {@link PassLadder} by the rows present ({@code auto}), every pass of exactly
 * {@code chunk} rows whatever is present ({@code chunk}, as every pass was before the ladder), or
 * as an explanation recorded it: the record's rows in their order, each run with the shape of the
 * passes it went through ({@code 16:48,4:4}: 48 rows in passes of 16 rows, then 4 in a pass of 4).
 * A recorded layout given again puts every row in a pass of its recorded shape, whatever else is
 * in the batch, which reproduces the record's bits.
 */
public record PassLayout(Mode mode, List<Segment> segments) {

    /** How the shapes are chosen. */
    public enum Mode { AUTO, CHUNK, RECORDED }

    /** {@code rows} consecutive rows of the record, each in a pass of {@code shape} rows. */
    public record Segment(int shape, int rows) {
        public Segment {
            if (shape < 1 || rows < 1) {
                throw new IllegalArgumentException("a pass segment needs a shape and rows of at least 1, got " + shape + ":" + rows);
            }
        }
    }

    public static final PassLayout AUTO = new PassLayout(Mode.AUTO, List.of());
    public static final PassLayout CHUNK = new PassLayout(Mode.CHUNK, List.of());

    public PassLayout {
        segments = List.copyOf(segments);
        if ((mode == Mode.RECORDED) == segments.isEmpty()) {
            throw new IllegalArgumentException("a recorded pass layout has segments, and only it");
        }
    }

    /** The layout of rows whose pass shapes are given one per row, in order. */
    public static PassLayout of(int[] shapeOfRow) {
        List<Segment> out = new ArrayList<>();
        int i = 0;
        while (i < shapeOfRow.length) {
            int j = i;
            while (j < shapeOfRow.length && shapeOfRow[j] == shapeOfRow[i]) {
                j++;
            }
            out.add(new Segment(shapeOfRow[i], j - i));
            i = j;
        }
        return new PassLayout(Mode.RECORDED, out);
    }

    /** {@code auto}, {@code chunk}, or {@code shape:rows} segments separated by commas. */
    public static PassLayout parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("auto")) {
            return AUTO;
        }
        if (t.equals("chunk")) {
            return CHUNK;
        }
        List<Segment> segments = new ArrayList<>();
        try {
            for (String part : t.split(",")) {
                String[] sr = part.trim().split(":");
                if (sr.length != 2) {
                    throw new NumberFormatException(part);
                }
                segments.add(new Segment(Integer.parseInt(sr[0].trim()), Integer.parseInt(sr[1].trim())));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("parameter passes must be auto, chunk or shape:rows,... (e.g. 16:48,4:4), got '" + text + "'");
        }
        return new PassLayout(Mode.RECORDED, segments);
    }

    /** Rows a recorded layout covers. */
    public int rows() {
        return segments.stream().mapToInt(Segment::rows).sum();
    }

    /** The pass shape of each row of a recorded layout, in order. */
    int[] shapeOfRow() {
        int[] out = new int[rows()];
        int k = 0;
        for (Segment s : segments) {
            for (int i = 0; i < s.rows(); i++) {
                out[k++] = s.shape();
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return switch (mode) {
            case AUTO -> "auto";
            case CHUNK -> "chunk";
            case RECORDED -> String.join(",", segments.stream().map(s -> s.shape() + ":" + s.rows()).toList());
        };
    }
}

package io.spotlight.attribution;

import java.util.ArrayList;
import java.util.List;

/**
 * The shapes a model's passes take: 1, 2, 4, … below {@code chunk}, and {@code chunk} itself.
 * libtorch's kernels block their work by batch size, so a row's last bits depend on the number of
 * rows in the pass it went through (not on its place in the pass, nor on the other rows): a short
 * ladder keeps those shapes few, and the rows actually present choose among them, so a lone record
 * runs a pass of one row instead of a pass of {@code chunk}.
 *
 * @param chunk the largest pass
 * @param overhead what one more pass costs, in rows' worth of work. At 0 the rows that do not fill a
 *     whole pass of {@code chunk} are split into rungs without padding (7 = 4 + 2 + 1); where a pass
 *     costs mostly its launch (small models, GPUs) they go in fewer, padded passes (7 in one of 8).
 */
public record PassLadder(int chunk, double overhead) {

    public PassLadder {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        }
        if (!(overhead >= 0)) {
            throw new IllegalArgumentException("pass overhead must be >= 0, got " + overhead);
        }
    }

    /** The rungs, smallest first. */
    public List<Integer> rungs() {
        List<Integer> out = new ArrayList<>();
        for (int s = 1; s < chunk; s *= 2) {
            out.add(s);
        }
        out.add(chunk);
        return out;
    }

    /**
     * The shapes of the passes that carry {@code rows} rows, largest first: whole passes of
     * {@code chunk}, then the cheapest cover of the rest by rungs (a cover may hold more rows than
     * are left: its last pass is padded).
     */
    public List<Integer> shapes(int rows) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < rows / chunk; i++) {
            out.add(chunk);
        }
        out.addAll(cover(rows % chunk).shapes());
        return out;
    }

    /** Passes and their cost (overhead + rows each) that hold {@code rows} rows. */
    private record Cover(List<Integer> shapes, double cost) {}

    /**
     * With power-of-two rungs and a linear cost, the cheapest cover of r rows is either one pass of
     * the smallest rung that holds them, or the largest rung below r plus the cheapest cover of the
     * rest: a second pass of a rung already used costs more than one of the next rung.
     */
    private Cover cover(int rows) {
        if (rows == 0) {
            return new Cover(List.of(), 0);
        }
        int above = 1;
        while (above < rows) {
            above *= 2;
        }
        above = Math.min(above, chunk);
        Cover one = new Cover(List.of(above), overhead + above);
        if (above == rows) {
            return one;
        }
        int below = Integer.highestOneBit(rows);
        Cover rest = cover(rows - below);
        List<Integer> split = new ArrayList<>();
        split.add(below);
        split.addAll(rest.shapes());
        Cover apart = new Cover(split, overhead + below + rest.cost());
        return apart.cost() < one.cost() ? apart : one;
    }
}

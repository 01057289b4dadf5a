package io.spotlight.evaluation;

import java.util.Arrays;
import java.util.SplittableRandom;

/** The orders in which a curve removes units: by attribution, or at random (seeded from the record). */
final class Orderings {

    /** Random orderings' seeds derive from the record's seed with this, apart from every other draw made for it. */
    private static final long SALT = 0x5DEECE66DL * 0x9E3779B97F4A7C15L;

    private Orderings() {}

    /** Units by decreasing attribution (positive evidence first for signed maps); ties by position. */
    static int[] byAttribution(float[] attributions) {
        Integer[] order = new Integer[attributions.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // A stable sort keeps tied units in position order.
        Arrays.sort(order, (a, b) -> Float.compare(attributions[b], attributions[a]));
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    /**
     * The record's random orderings of n units (Fisher-Yates over SplitMix64, whose output is
     * specified): the same for every method and score of the record, and in every replay.
     */
    static int[][] random(long recordSeed, int n, int count) {
        SplittableRandom random = new SplittableRandom(recordSeed ^ SALT);
        int[][] out = new int[count][];
        for (int r = 0; r < count; r++) {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            out[r] = order;
        }
        return out;
    }

    /** Units removed (deletion) or revealed (insertion) after step i of k: floor(i * units / k). */
    static int atStep(int step, int steps, int units) {
        return (int) ((long) step * units / steps);
    }
}

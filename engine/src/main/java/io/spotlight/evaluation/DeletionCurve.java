package io.spotlight.evaluation;

/**
 * Deletion: the most attributed units are removed first. A faithful explanation makes the target
 * probability fall fast, so its area is small; the gain is the random order's area minus it.
 */
final class DeletionCurve extends CurveScore {

    @Override
    boolean[] removed(int[] order, int taken) {
        boolean[] out = new boolean[order.length];
        for (int i = 0; i < taken; i++) {
            out[order[i]] = true;
        }
        return out;
    }

    @Override
    double gain(double auc, double randomAuc) {
        return randomAuc - auc;
    }
}

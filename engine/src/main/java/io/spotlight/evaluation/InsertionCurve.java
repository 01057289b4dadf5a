package io.spotlight.evaluation;

/**
 * Insertion: starting from the removed input, the most attributed units are revealed first. A
 * faithful explanation makes the target probability rise fast, so its area is large; the gain is
 * it minus the random order's area.
 */
final class InsertionCurve extends CurveScore {

    @Override
    boolean[] removed(int[] order, int taken) {
        boolean[] out = new boolean[order.length];
        for (int i = taken; i < order.length; i++) {
            out[order[i]] = true;
        }
        return out;
    }

    @Override
    double gain(double auc, double randomAuc) {
        return auc - randomAuc;
    }
}

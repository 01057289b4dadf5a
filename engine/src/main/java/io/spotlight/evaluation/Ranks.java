package io.spotlight.evaluation;

import java.util.Arrays;

/** Rank statistics of two rankings of the same units. */
public final class Ranks {

    private Ranks() {}

    /** Spearman's rank correlation (Pearson's of the ranks, ties at their mean rank); NaN when either is constant. */
    public static double spearman(double[] x, double[] y) {
        double[] rx = ranks(x);
        double[] ry = ranks(y);
        double mean = (x.length - 1) / 2.0;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < rx.length; i++) {
            sxy += (rx[i] - mean) * (ry[i] - mean);
            sxx += (rx[i] - mean) * (rx[i] - mean);
            syy += (ry[i] - mean) * (ry[i] - mean);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    /** 0-based ranks in increasing order of value, tied values sharing the mean of their ranks. */
    static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            for (int t = i; t <= j; t++) {
                r[order[t]] = (i + j) / 2.0;
            }
            i = j + 1;
        }
        return r;
    }

    /** The k units of largest value (ties by position), as a membership mask. */
    static boolean[] top(double[] v, int k) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[b], v[a]));
        boolean[] out = new boolean[v.length];
        for (int i = 0; i < Math.min(k, v.length); i++) {
            out[order[i]] = true;
        }
        return out;
    }
}

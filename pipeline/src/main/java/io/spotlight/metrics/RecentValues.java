package io.spotlight.metrics;

import java.util.Arrays;

/**
 * The last values of a figure (a ring of fixed size), for gauges of its recent distribution: its
 * mean and its quantiles. Prometheus summaries and Micrometer's distribution summaries drop negative
 * values, which rank correlations and gains have.
 */
final class RecentValues {

    private final double[] ring;
    private int next;
    private int size;

    RecentValues(int capacity) {
        this.ring = new double[capacity];
    }

    synchronized void add(double v) {
        ring[next] = v;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    synchronized double mean() {
        double s = 0;
        for (int i = 0; i < size; i++) {
            s += ring[i];
        }
        return size == 0 ? Double.NaN : s / size;
    }

    /** The q-quantile by linear interpolation between order statistics (numpy's default). */
    synchronized double quantile(double q) {
        if (size == 0) {
            return Double.NaN;
        }
        double[] sorted = Arrays.copyOf(ring, size);
        Arrays.sort(sorted);
        double at = q * (size - 1);
        int lo = (int) Math.floor(at);
        int hi = Math.min(lo + 1, size - 1);
        return sorted[lo] + (at - lo) * (sorted[hi] - sorted[lo]);
    }
}

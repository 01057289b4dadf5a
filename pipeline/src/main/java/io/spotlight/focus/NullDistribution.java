package io.spotlight.focus;

import io.spotlight.events.DriftFigures;
import io.spotlight.events.FocusReference;
import io.spotlight.events.FocusStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What every window statistic looks like when nothing has changed, for windows of one size: the
 * values of {@code resamples} windows of {@code size} explanations drawn (with replacement) from the
 * reference's sample, each compared with a reference itself redrawn from the sample at the
 * reference's own count. Redrawing the reference too makes the null include the reference's own
 * estimation noise (a reference of a few windows is not exact), not only the window's. The draws
 * are seeded from the reference's id and the size, so a replay gets the same limits.
 */
public final class NullDistribution {

    /** Redrawn references; each window resample is compared with one of them in turn. */
    static final int REFERENCE_DRAWS = 64;

    private final int size;
    private final Map<WindowStatistic, double[]> sorted;

    private NullDistribution(int size, Map<WindowStatistic, double[]> sorted) {
        this.size = size;
        this.sorted = sorted;
    }

    /** Resamples the null of every statistic for windows of {@code size} explanations. */
    public static NullDistribution of(FocusReference reference, int size, int resamples) {
        if (!reference.hasSample()) {
            throw new IllegalArgumentException("reference " + reference.id() + " keeps no sample of explanations to resample");
        }
        List<FocusStats> sample = reference.sample();
        SplittableRandom random = new SplittableRandom(reference.id().hashCode() * 0x9E3779B97F4A7C15L + size);
        int referenceCount = (int) Math.min(Math.max(reference.count(), sample.size()), 20 * sample.size());
        List<FocusReference> references = new ArrayList<>(REFERENCE_DRAWS);
        for (int r = 0; r < REFERENCE_DRAWS; r++) {
            references.add(FocusWindow.of(draw(sample, referenceCount, random)).means());
        }
        Map<WindowStatistic, double[]> values = new EnumMap<>(WindowStatistic.class);
        // A statistic undefined in a draw (a window without a scored map has no faithfulness) is left out of its null, not counted as 0.
        Map<WindowStatistic, Integer> defined = new EnumMap<>(WindowStatistic.class);
        boolean text = sample.get(0).isText();
        for (int b = 0; b < resamples; b++) {
            DriftFigures f = FocusWindow.of(draw(sample, size, random)).compareWith(references.get(b % REFERENCE_DRAWS));
            for (WindowStatistic s : WindowStatistic.values()) {
                Double v = s.of(f);
                if (v != null && s.applies(text)) {
                    values.computeIfAbsent(s, k -> new double[resamples])[defined.merge(s, 1, Integer::sum) - 1] = v;
                }
            }
        }
        values.replaceAll((s, v) -> {
            double[] kept = Arrays.copyOf(v, defined.get(s));
            Arrays.sort(kept);
            return kept;
        });
        return new NullDistribution(size, values);
    }

    private static List<FocusStats> draw(List<FocusStats> sample, int n, SplittableRandom random) {
        List<FocusStats> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(sample.get(random.nextInt(sample.size())));
        }
        return out;
    }

    /** The sorted resampled values of a statistic (null if it does not apply). */
    double[] values(WindowStatistic s) {
        return sorted.get(s);
    }

    public int size() {
        return size;
    }

    /** The q-quantile of a statistic's null (linear interpolation between order statistics); NaN if it does not apply. */
    public double quantile(WindowStatistic s, double q) {
        double[] v = sorted.get(s);
        if (v == null) {
            return Double.NaN;
        }
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(v.length - 1, lo + 1);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }

    /** Every applicable statistic's limits at quantile q: its (1 - q)- and q-quantiles. */
    public Map<String, DriftFigures.Limits> limits(double q) {
        Map<String, DriftFigures.Limits> out = new LinkedHashMap<>();
        for (WindowStatistic s : sorted.keySet()) {
            out.put(s.id(), new DriftFigures.Limits(quantile(s, 1 - q), quantile(s, q)));
        }
        return out;
    }
}

package io.spotlight.focus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What normal focus looks like for one model (and class): the mean grid, entropy, centre and
 * forbidden mass, and the top tokens, over {@code count} explanations made with {@code method}.
 * Pinned from a file made by `spotlight baseline`, or learned from the first windows after start.
 */
public record FocusReference(String method, long count, double[] grid, double entropy, double centreY, double centreX,
                             double forbidden, double watch, List<String> topTokens) {

    static final int TOP_TOKENS = 10;

    public static FocusReference of(FocusWindow w) {
        List<String> ranked = w.rankedTokens();
        return new FocusReference(w.method(), w.count(), w.meanGrid(), w.meanEntropy(), w.meanCentreY(), w.meanCentreX(), w.meanForbidden(), w.meanWatch(), ranked.subList(0, Math.min(TOP_TOKENS, ranked.size())));
    }

    /** Windows merged into one reference (the learned reference: the first N windows). */
    public static FocusReference of(List<FocusWindow> windows) {
        FocusWindow merged = windows.get(0);
        for (FocusWindow w : windows.subList(1, windows.size())) {
            merged = merge(merged, w);
        }
        return of(merged);
    }

    static FocusWindow merge(FocusWindow a, FocusWindow b) {
        double[] grid = a.gridSum().clone();
        for (int i = 0; i < grid.length; i++) {
            grid[i] += b.gridSum()[i];
        }
        Map<String, Double> tokens = new LinkedHashMap<>(a.tokenMassSum());
        b.tokenMassSum().forEach((t, m) -> tokens.merge(t, m, Double::sum));
        return new FocusWindow(a.method(), a.kind(), a.gridShape(), a.count() + b.count(), grid, a.entropySum() + b.entropySum(),
                a.centreYSum() + b.centreYSum(), a.centreXSum() + b.centreXSum(), a.forbiddenSum() + b.forbiddenSum(),
                a.watchSum() + b.watchSum(), tokens, a.examples());
    }
}

package io.spotlight.focus;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.spotlight.events.DriftFigures;
import io.spotlight.events.FocusReference;
import io.spotlight.events.FocusStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running sum of a window's focus statistics (one model version, one class or all), kept so
 * that means come out at the end; plus the few predictions most worth showing as evidence (the
 * highest forbidden or watched mass). Immutable: {@link #add} returns the next state.
 */
public record FocusWindow(
        String method,
        String kind,
        int[] gridShape,
        long count,
        double[] gridSum,
        double entropySum,
        double centreYSum,
        double centreXSum,
        double forbiddenSum,
        double watchSum,
        Map<String, Double> tokenMassSum,
        List<Example> examples) {

    /** A prediction and how much of its mass was on forbidden regions / watched tokens. */
    public record Example(String predictionId, double suspicious) {}

    static final int EXAMPLES = 5;
    static final int TOKENS_KEPT = 200;
    /** Top tokens a reference keeps and a comparison reports. */
    static final int TOP_TOKENS = 10;

    public static FocusWindow empty() {
        return new FocusWindow(null, null, null, 0, null, 0, 0, 0, 0, 0, Map.of(), List.of());
    }

    public FocusWindow add(FocusStats s, String predictionId) {
        if (method != null && !method.equals(s.method())) {
            // Means only make sense over one method's maps; others are not mixed in.
            return this;
        }
        double[] grid = gridSum == null ? new double[s.grid().length] : gridSum.clone();
        for (int i = 0; i < grid.length; i++) {
            grid[i] += s.grid()[i];
        }
        Map<String, Double> tokens = new LinkedHashMap<>(tokenMassSum);
        if (s.tokenMass() != null) {
            s.tokenMass().forEach((t, m) -> tokens.merge(t, m, Double::sum));
            if (tokens.size() > TOKENS_KEPT) {
                List<Map.Entry<String, Double>> kept = tokens.entrySet().stream()
                        .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(TOKENS_KEPT).toList();
                tokens.clear();
                kept.forEach(e -> tokens.put(e.getKey(), e.getValue()));
            }
        }
        double suspicious = s.isText() ? (s.watchMass() == null ? 0 : s.watchMass()) : s.forbiddenTotal();
        List<Example> ex = new ArrayList<>(examples);
        ex.add(new Example(predictionId, suspicious));
        ex.sort(Comparator.comparingDouble(Example::suspicious).reversed().thenComparing(Example::predictionId));
        return new FocusWindow(s.method(), s.kind(), s.gridShape(), count + 1, grid, entropySum + s.entropy(),
                centreYSum + s.centreY(), centreXSum + s.centreX(), forbiddenSum + s.forbiddenTotal(),
                watchSum + (s.watchMass() == null ? 0 : s.watchMass()), tokens, List.copyOf(ex.subList(0, Math.min(EXAMPLES, ex.size()))));
    }

    public double[] meanGrid() {
        double[] g = new double[gridSum.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = gridSum[i] / count;
        }
        return g;
    }

    /** The mean grid as the float values events carry. */
    public float[] meanGridValues() {
        return FocusCalculator.toFloat(meanGrid());
    }

    public double meanCentreY() {
        return centreYSum / count;
    }

    public double meanCentreX() {
        return centreXSum / count;
    }

    public double meanEntropy() {
        return entropySum / count;
    }

    public double meanForbidden() {
        return forbiddenSum / count;
    }

    public double meanWatch() {
        return watchSum / count;
    }

    /** Tokens by decreasing mean mass. */
    public List<String> rankedTokens() {
        return tokenMassSum.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).toList();
    }

    /** The n tokens with the most mass, with their mean mass per explanation. */
    public Map<String, Double> topTokenMeans(int n) {
        Map<String, Double> top = new LinkedHashMap<>();
        rankedTokens().stream().limit(n).forEach(t -> top.put(t, tokenMassSum.get(t) / count));
        return top;
    }

    /** This window and another of the same method as one (examples kept from this one). */
    public FocusWindow merge(FocusWindow b) {
        double[] grid = gridSum.clone();
        for (int i = 0; i < grid.length; i++) {
            grid[i] += b.gridSum()[i];
        }
        Map<String, Double> tokens = new LinkedHashMap<>(tokenMassSum);
        b.tokenMassSum().forEach((t, m) -> tokens.merge(t, m, Double::sum));
        return new FocusWindow(method, kind, gridShape, count + b.count(), grid, entropySum + b.entropySum(),
                centreYSum + b.centreYSum(), centreXSum + b.centreXSum(), forbiddenSum + b.forbiddenSum(),
                watchSum + b.watchSum(), tokens, examples);
    }

    /** This window's means as a reference. */
    public FocusReference toReference() {
        List<String> ranked = rankedTokens();
        return new FocusReference(method, count, meanGrid(), meanEntropy(), meanCentreY(), meanCentreX(), meanForbidden(), meanWatch(),
                ranked.subList(0, Math.min(TOP_TOKENS, ranked.size())));
    }

    /** Windows merged into one reference (the learned reference: the first N windows). */
    public static FocusReference reference(List<FocusWindow> windows) {
        return windows.stream().reduce(FocusWindow::merge).orElseThrow().toReference();
    }

    /** How this window differs from a reference. */
    public DriftFigures compareWith(FocusReference r) {
        double[] g = meanGrid();
        double cy = meanCentreY();
        double cx = meanCentreX();
        Double rank = null;
        List<String> ranked = rankedTokens();
        if (isText() && !r.topTokens().isEmpty()) {
            double total = 0;
            for (int i = 0; i < r.topTokens().size(); i++) {
                int at = ranked.indexOf(r.topTokens().get(i));
                total += Math.abs((at < 0 ? ranked.size() : at) - i);
            }
            rank = total / r.topTokens().size();
        }
        return new DriftFigures(count, Divergence.jensenShannon(g, r.grid()), Math.hypot(cy - r.centreY(), cx - r.centreX()),
                meanForbidden(), meanForbidden() - r.forbidden(), meanEntropy(), meanEntropy() - r.entropy(),
                meanWatch(), rank, ranked.subList(0, Math.min(TOP_TOKENS, ranked.size())));
    }

    @JsonIgnore
    public boolean isText() {
        return "text".equals(kind);
    }
}

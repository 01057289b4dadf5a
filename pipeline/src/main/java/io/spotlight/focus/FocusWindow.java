package io.spotlight.focus;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.spotlight.events.DriftFigures;
import io.spotlight.events.FocusReference;
import io.spotlight.events.FocusStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running sum of a window's focus statistics (one model version, one class or all), kept so
 * that means come out at the end; the few predictions most worth showing as evidence (the
 * highest forbidden or watched mass); and a uniform sample of the explanations' statistics (the
 * bottom-k by a hash of the prediction id, so the same explanations are kept whatever their
 * order), from which a learned reference's null distributions are resampled; and the sums of the
 * scored maps' deletion and insertion gains (how faithful they are). Immutable:
 * {@link #add} returns the next state.
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
        List<Example> examples,
        List<Kept> sample,
        long scored,
        double deletionGainSum,
        double insertionGainSum) {

    /** A prediction and how much of its mass was on forbidden regions / watched tokens. */
    public record Example(String predictionId, double suspicious) {}

    /** An explanation's statistics kept in the sample, with the rank (a hash of its prediction id) that chose it. */
    public record Kept(long rank, FocusStats stats) {}

    static final int EXAMPLES = 5;
    static final int TOKENS_KEPT = 200;
    /** Top tokens a reference keeps and a comparison reports. */
    static final int TOP_TOKENS = 10;

    public static FocusWindow empty() {
        return new FocusWindow(null, null, null, 0, null, 0, 0, 0, 0, 0, Map.of(), List.of(), List.of(), 0, 0, 0);
    }

    /** The sums of many statistics at once, without examples or sample (what a resampled window needs). */
    public static FocusWindow of(List<FocusStats> stats) {
        FocusStats first = stats.get(0);
        double[] grid = new double[first.grid().length];
        double entropy = 0;
        double cy = 0;
        double cx = 0;
        double forbidden = 0;
        double watch = 0;
        Map<String, Double> tokens = first.tokenMass() == null ? Map.of() : new HashMap<>();
        long scored = 0;
        double deletion = 0;
        double insertion = 0;
        for (FocusStats s : stats) {
            if (s.isScored()) {
                scored++;
                deletion += s.deletionGain();
                insertion += s.insertionGain();
            }
            float[] g = s.grid();
            for (int i = 0; i < grid.length; i++) {
                grid[i] += g[i];
            }
            entropy += s.entropy();
            cy += s.centreY();
            cx += s.centreX();
            forbidden += s.forbiddenTotal();
            watch += s.watchMass() == null ? 0 : s.watchMass();
            if (s.tokenMass() != null) {
                s.tokenMass().forEach((t, m) -> tokens.merge(t, m, Double::sum));
            }
        }
        return new FocusWindow(first.method(), first.kind(), first.gridShape(), stats.size(), grid, entropy, cy, cx, forbidden, watch,
                tokens, List.of(), List.of(), scored, deletion, insertion);
    }

    /** Adds an explanation, keeping at most {@code sampleSize} explanations' statistics in the sample. */
    public FocusWindow add(FocusStats s, String predictionId, int sampleSize) {
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
        List<Kept> kept = keep(sample, List.of(new Kept(rank(predictionId), slim(s))), sampleSize);
        return new FocusWindow(s.method(), s.kind(), s.gridShape(), count + 1, grid, entropySum + s.entropy(),
                centreYSum + s.centreY(), centreXSum + s.centreX(), forbiddenSum + s.forbiddenTotal(),
                watchSum + (s.watchMass() == null ? 0 : s.watchMass()), tokens, List.copyOf(ex.subList(0, Math.min(EXAMPLES, ex.size()))),
                kept, scored + (s.isScored() ? 1 : 0), deletionGainSum + (s.isScored() ? s.deletionGain() : 0),
                insertionGainSum + (s.isScored() ? s.insertionGain() : 0));
    }

    /** The {@code size} lowest-ranked of two samples: a uniform sample of their union. */
    static List<Kept> keep(List<Kept> a, List<Kept> b, int size) {
        if (size <= 0) {
            return List.of();
        }
        List<Kept> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        all.sort(Comparator.comparingLong(Kept::rank));
        return List.copyOf(all.subList(0, Math.min(size, all.size())));
    }

    /** A well-mixed 64-bit hash of a prediction id: FNV-1a over its characters, then SplitMix64's finaliser. */
    static long rank(String predictionId) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < predictionId.length(); i++) {
            h = (h ^ predictionId.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }

    /** What resampling needs of an explanation's statistics (the top cells are for display only). */
    static FocusStats slim(FocusStats s) {
        return new FocusStats(s.method(), s.kind(), s.gridShape(), s.grid(), s.entropy(), s.centreY(), s.centreX(), s.expectedMass(),
                s.forbiddenMass(), s.forbiddenTotal(), null, null, s.watchMass(), s.tokenMass(), s.deletionGain(), s.insertionGain());
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

    /** The n tokens with the most mass, with their mean mass per explanation. */
    public Map<String, Double> topTokenMeans(int n) {
        Map<String, Double> top = new LinkedHashMap<>();
        topTokens(n).forEach(t -> top.put(t, tokenMassSum.get(t) / count));
        return top;
    }

    /** This window and another of the same method as one (examples kept from this one, at most {@code sampleSize} in the sample). */
    public FocusWindow merge(FocusWindow b, int sampleSize) {
        double[] grid = gridSum.clone();
        for (int i = 0; i < grid.length; i++) {
            grid[i] += b.gridSum()[i];
        }
        Map<String, Double> tokens = new LinkedHashMap<>(tokenMassSum);
        b.tokenMassSum().forEach((t, m) -> tokens.merge(t, m, Double::sum));
        return new FocusWindow(method, kind, gridShape, count + b.count(), grid, entropySum + b.entropySum(),
                centreYSum + b.centreYSum(), centreXSum + b.centreXSum(), forbiddenSum + b.forbiddenSum(),
                watchSum + b.watchSum(), tokens, examples, keep(sample, b.sample(), sampleSize), scored + b.scored(),
                deletionGainSum + b.deletionGainSum(), insertionGainSum + b.insertionGainSum());
    }

    /** This window's means as an unnamed reference without a sample (a redrawn reference of a null distribution). */
    FocusReference means() {
        return new FocusReference(null, method, count, meanGrid(), meanEntropy(), meanCentreY(), meanCentreX(), meanForbidden(), meanWatch(),
                topTokens(TOP_TOKENS), null, meanFaithfulness());
    }

    /** This window's means as a reference, with its sample, named by its content. */
    public FocusReference toReference() {
        FocusReference m = means();
        return new FocusReference(null, method, count, m.grid(), m.entropy(), m.centreY(), m.centreX(), m.forbidden(), m.watch(),
                m.topTokens(), sample.stream().map(Kept::stats).toList(), m.faithfulness()).identified();
    }

    /** Windows merged into one reference (the learned reference: the first N windows), keeping at most {@code sampleSize} explanations. */
    public static FocusReference reference(List<FocusWindow> windows, int sampleSize) {
        return windows.stream().reduce((a, b) -> a.merge(b, sampleSize)).orElseThrow().toReference();
    }

    /** The mean over the scored maps of each one's deletion and insertion gains; null when none was scored. */
    Double meanFaithfulness() {
        return scored == 0 ? null : (deletionGainSum + insertionGainSum) / (2.0 * scored);
    }

    /** The scored maps' faithfulness, and how far it fell below the reference's; null when none was scored. */
    private DriftFigures.Faith faith(FocusReference r) {
        if (scored == 0) {
            return null;
        }
        return new DriftFigures.Faith(scored, deletionGainSum / scored, insertionGainSum / scored,
                r.faithfulness() == null ? null : r.faithfulness() - meanFaithfulness());
    }

    /**
     * nDCG of the window's top tokens against the reference's ranking, each of the reference's k
     * top tokens as relevant as its place (k for the first, 1 for the last); null for images or a
     * reference without tokens.
     */
    private Double tokenNdcg(FocusReference r) {
        if (!isText() || r.topTokens() == null || r.topTokens().isEmpty()) {
            return null;
        }
        Map<String, Double> relevance = new LinkedHashMap<>();
        for (int i = 0; i < r.topTokens().size(); i++) {
            relevance.put(r.topTokens().get(i), (double) (r.topTokens().size() - i));
        }
        return TokenRanking.ndcg(topTokens(TOP_TOKENS), relevance, TOP_TOKENS);
    }

    /** How this window differs from a reference. */
    public DriftFigures compareWith(FocusReference r) {
        double[] g = meanGrid();
        double cy = meanCentreY();
        double cx = meanCentreX();
        Double rank = null;
        if (isText() && !r.topTokens().isEmpty()) {
            double total = 0;
            for (int i = 0; i < r.topTokens().size(); i++) {
                total += Math.abs(rankOf(r.topTokens().get(i)) - i);
            }
            rank = total / r.topTokens().size();
        }
        return new DriftFigures(count, Divergence.jensenShannon(g, r.grid()), Math.hypot(cy - r.centreY(), cx - r.centreX()),
                meanForbidden(), meanForbidden() - r.forbidden(), meanEntropy(), meanEntropy() - r.entropy(),
                meanWatch(), rank, topTokens(TOP_TOKENS), null, null, faith(r), tokenNdcg(r));
    }

    /** By decreasing mass (ties by token): whether token a comes before b. */
    private boolean before(String a, double ma, String b, double mb) {
        return ma > mb || (ma == mb && a.compareTo(b) < 0);
    }

    /** A token's place when tokens are ranked by decreasing mass, ties by token (0 first; the number of tokens when absent). */
    int rankOf(String token) {
        Double m = tokenMassSum.get(token);
        if (m == null) {
            return tokenMassSum.size();
        }
        int ahead = 0;
        for (Map.Entry<String, Double> e : tokenMassSum.entrySet()) {
            if (before(e.getKey(), e.getValue(), token, m)) {
                ahead++;
            }
        }
        return ahead;
    }

    /** The n tokens with the most mass (ties by token), by selection rather than a full sort: a null distribution ranks thousands of windows. */
    List<String> topTokens(int n) {
        List<Map.Entry<String, Double>> top = new ArrayList<>(n + 1);
        for (Map.Entry<String, Double> e : tokenMassSum.entrySet()) {
            int at = top.size();
            while (at > 0 && before(e.getKey(), e.getValue(), top.get(at - 1).getKey(), top.get(at - 1).getValue())) {
                at--;
            }
            if (at < n) {
                top.add(at, e);
                if (top.size() > n) {
                    top.remove(n);
                }
            }
        }
        return top.stream().map(Map.Entry::getKey).toList();
    }

    @JsonIgnore
    public boolean isText() {
        return "text".equals(kind);
    }
}

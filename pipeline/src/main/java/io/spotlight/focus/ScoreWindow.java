package io.spotlight.focus;

import io.spotlight.events.Agreement;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Faithfulness;
import io.spotlight.events.WindowScores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The running sums of a window's explanation scores (one model version, one class or all): per
 * method, the gains and areas of its scored maps' curves; per attention and gradient method pair,
 * their agreement. Means come out at the end. Immutable: {@link #add} returns the next state.
 */
public record ScoreWindow(Map<String, double[]> methods, Map<String, double[]> pairs) {

    /** Per method: scored, then the sums of deletion gain, insertion gain, deletion area, insertion area. */
    private static final int METHOD_SUMS = 5;
    /** Per pair: count, Spearman's count and sum (it may be undefined), top-k overlap sum. */
    private static final int PAIR_SUMS = 4;

    public static ScoreWindow empty() {
        return new ScoreWindow(Map.of(), Map.of());
    }

    /** One explanation's scores added. */
    public ScoreWindow add(ExplanationEvent e) {
        Map<String, double[]> m = copy(methods);
        for (ExplanationEvent.MethodResult r : e.explanations()) {
            Faithfulness f = r.faithfulness();
            if (f != null && f.deletion() != null && f.insertion() != null) {
                double[] s = m.computeIfAbsent(r.method(), k -> new double[METHOD_SUMS]);
                s[0]++;
                s[1] += f.deletion().gain();
                s[2] += f.insertion().gain();
                s[3] += f.deletion().auc();
                s[4] += f.insertion().auc();
            }
        }
        Map<String, double[]> p = copy(pairs);
        if (e.agreement() != null) {
            for (Agreement a : e.agreement()) {
                double[] s = p.computeIfAbsent(a.attention() + "|" + a.gradient(), k -> new double[PAIR_SUMS]);
                s[0]++;
                if (a.spearman() != null) {
                    s[1]++;
                    s[2] += a.spearman();
                }
                s[3] += a.topKOverlap();
            }
        }
        return new ScoreWindow(m, p);
    }

    /** This window and another as one. */
    public ScoreWindow merge(ScoreWindow b) {
        Map<String, double[]> m = copy(methods);
        b.methods().forEach((k, v) -> m.merge(k, v.clone(), ScoreWindow::sum));
        Map<String, double[]> p = copy(pairs);
        b.pairs().forEach((k, v) -> p.merge(k, v.clone(), ScoreWindow::sum));
        return new ScoreWindow(m, p);
    }

    /** The window's means; null when it holds no scores. */
    public WindowScores figures() {
        if (methods.isEmpty() && pairs.isEmpty()) {
            return null;
        }
        List<WindowScores.MethodFaithfulness> f = new ArrayList<>();
        methods.forEach((method, s) -> f.add(new WindowScores.MethodFaithfulness(method, (long) s[0], s[1] / s[0], s[2] / s[0], s[3] / s[0],
                s[4] / s[0])));
        List<WindowScores.PairAgreement> a = new ArrayList<>();
        pairs.forEach((pair, s) -> {
            String[] names = pair.split("\\|", 2);
            a.add(new WindowScores.PairAgreement(names[0], names[1], (long) s[0], s[1] == 0 ? null : s[2] / s[1], s[3] / s[0]));
        });
        return new WindowScores(f, a);
    }

    private static Map<String, double[]> copy(Map<String, double[]> m) {
        Map<String, double[]> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }

    private static double[] sum(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }
}

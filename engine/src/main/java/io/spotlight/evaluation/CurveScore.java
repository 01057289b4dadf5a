package io.spotlight.evaluation;

import io.spotlight.events.Faithfulness;

import io.spotlight.attribution.IntegratedGradients;
import io.spotlight.attribution.MethodParameters;
import io.spotlight.attribution.ParameterSpec;
import io.spotlight.attribution.Parameters;
import io.spotlight.attribution.Passes;
import io.spotlight.attribution.Subject;
import io.spotlight.model.LoadedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A curve of the target probability as an attribution's units are taken in its order, k steps,
 * in the spirit of RISE's deletion and insertion metrics (Petsiuk et al. 2018): step i has taken
 * floor(i n / k) of the n units. The same record's units taken in random order give the curve to
 * beat. Deletion and insertion differ only in what taking a unit means (removing it, or revealing
 * it on the removed input), as pytorch-grad-cam's CAM variants differ only in their weights. A
 * record's rows (both ends once, then the k - 1 inner steps of each ordering) join every other
 * record's in the same forward passes.
 */
abstract sealed class CurveScore extends ExplanationScore permits DeletionCurve, InsertionCurve {

    static final ParameterSpec<Integer> STEPS = ParameterSpec.integer("steps", 10, 1, 1000,
            "Steps k of the curve: step i has taken floor(i n / k) of the record's n units; each inner step is one forward row per ordering.")
            .flag("--curve-steps");
    static final ParameterSpec<Removal> REMOVAL = ParameterSpec.choice("removal", Removal.class,
                    "How a unit is removed, keeping the input in distribution: `blur` an image's pixels to the Gaussian blur of the image, "
                            + "`pad` a text's words to [PAD] (masked out), `unknown` to [UNK].")
            .byDefault("`blur` for images, `pad` for text", p -> Removal.defaultFor(p.card()));
    static final ParameterSpec<Integer> BLUR_KERNEL = ParameterSpec.integer("blur-kernel", 51, 1, 1001,
            "Blur kernel size (as integrated gradients' blur baseline; at most the image allows).").when(REMOVAL, Removal.BLUR)
            .flag("--curve-blur-kernel");
    static final ParameterSpec<Double> BLUR_SIGMA = ParameterSpec.real("blur-sigma", 50.0, 1e-6, 1e6,
            "Blur sigma.").when(REMOVAL, Removal.BLUR).flag("--curve-blur-sigma");
    static final ParameterSpec<Integer> RANDOM_ORDERINGS = ParameterSpec.integer("random-orderings", 1, 1, 100,
            "Random orderings of the record's units whose mean curve is the one to beat (seeded from the record).");

    private static final MethodParameters PARAMETERS = MethodParameters.of(STEPS, REMOVAL, BLUR_KERNEL, BLUR_SIGMA, RANDOM_ORDERINGS,
            Passes.CHUNK).recording(IntegratedGradients.BLUR_KERNEL_EFFECTIVE, Subject.SEED);

    CurveScore() {
        super(PARAMETERS);
    }

    /** Which units are removed once {@code taken} units of the order have been taken. */
    abstract boolean[] removed(int[] order, int taken);

    /** How much better than random an area is: positive when the attribution order beats the random one. */
    abstract double gain(double auc, double randomAuc);

    @Override
    boolean supports(LoadedModel model) {
        return model.card().input().isText() ? model.tokenizer() != null : model.card().input().shape().size() == 3;
    }

    /** The area under a curve by the trapezoid rule. */
    static double area(double[] x, double[] y) {
        double a = 0;
        for (int i = 1; i < x.length; i++) {
            a += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
        }
        return a;
    }

    /** The record's curves waiting for their rows' probabilities. */
    final class Pending {
        private final Parameters parameters;
        private final Subject subject;
        private final int units;
        private final double[] fractions;
        /** Row of each step of each ordering: the attributions' orderings, then the random ones. */
        private final int[][] rowAt;
        private final int attributions;

        private Pending(Parameters parameters, Subject subject, int units, double[] fractions, int[][] rowAt, int attributions) {
            this.parameters = parameters;
            this.subject = subject;
            this.units = units;
            this.fractions = fractions;
            this.rowAt = rowAt;
            this.attributions = attributions;
        }

        /** One curve per attribution, from the probabilities of every row; null for a record without units. */
        List<Faithfulness.Curve> curves(double[] probabilities) {
            List<Faithfulness.Curve> out = new ArrayList<>(attributions);
            if (units == 0) {
                for (int a = 0; a < attributions; a++) {
                    out.add(null);
                }
                return out;
            }
            int steps = fractions.length;
            int randoms = rowAt.length - attributions;
            double[] random = new double[steps];
            for (int o = attributions; o < rowAt.length; o++) {
                for (int i = 0; i < steps; i++) {
                    random[i] += probabilities[rowAt[o][i]] / randoms;
                }
            }
            double randomAuc = area(fractions, random);
            Map<String, Object> recorded = new LinkedHashMap<>(parameters.effective());
            recorded.put(Subject.SEED.name(), subject.seed());
            for (int a = 0; a < attributions; a++) {
                double[] p = new double[steps];
                for (int i = 0; i < steps; i++) {
                    p[i] = probabilities[rowAt[a][i]];
                }
                double auc = area(fractions, p);
                out.add(new Faithfulness.Curve(recorded, units, fractions, p, random, auc, randomAuc, gain(auc, randomAuc)));
            }
            return out;
        }
    }

    /**
     * Adds a record's rows: both ends of the curve once (they do not depend on the order), then the
     * inner steps of each attribution's ordering and of each random ordering.
     */
    final Pending add(Rows rows, Units units, Subject subject, List<float[]> attributions, Parameters parameters) {
        int n = units.count();
        int k = parameters.get(STEPS);
        List<int[]> orders = new ArrayList<>();
        attributions.forEach(a -> orders.add(Orderings.byAttribution(a)));
        if (n == 0) {
            return new Pending(parameters, subject, 0, new double[0], new int[0][], attributions.size());
        }
        for (int[] r : Orderings.random(subject.seed(), n, parameters.get(RANDOM_ORDERINGS))) {
            orders.add(r);
        }
        int start = units.add(rows, removed(orders.get(0), 0), subject.target());
        int end = units.add(rows, removed(orders.get(0), n), subject.target());
        double[] fractions = new double[k + 1];
        for (int i = 0; i <= k; i++) {
            fractions[i] = (double) Orderings.atStep(i, k, n) / n;
        }
        int[][] rowAt = new int[orders.size()][k + 1];
        for (int o = 0; o < orders.size(); o++) {
            rowAt[o][0] = start;
            rowAt[o][k] = end;
            for (int i = 1; i < k; i++) {
                rowAt[o][i] = units.add(rows, removed(orders.get(o), Orderings.atStep(i, k, n)), subject.target());
            }
        }
        return new Pending(parameters, subject, n, fractions, rowAt, attributions.size());
    }
}

package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * The integral at the heart of integrated gradients, for every record of a batch at once:
 * attr = (x - x') * sum_k w_k * dF(x' + a_k (x - x'))/dx, plus the completeness gap
 * delta = sum(attr) - (F(x) - F(x')). F(x) and F(x') ride along as two extra rows per record in the
 * same passes, so the check costs no separate forward. A record's rows are [x, x', the path], in
 * that order (what its recorded pass layout lays out).
 *
 * <p>With {@code steps} {@code auto}, every record starts at {@code min-steps} and those whose gap
 * is over the target are integrated again with twice the steps, up to {@code max-steps}: the
 * records still open share each round's passes, and each record keeps its last round (the rules'
 * points do not nest, so a round cannot reuse the one before). F(x) and F(x') come from the first.
 */
final class PathIntegral {

    static final ParameterSpec<IntegrationRule> RULE = ParameterSpec.choice("rule", IntegrationRule.GAUSS_LEGENDRE,
            "Where along the path the gradient is taken and with what weight (Captum's approximation methods).");

    static final ParameterSpec<OptionalInt> STEPS = ParameterSpec.integerOrAuto("steps", 50, 1, 100_000,
                    "Points along the path, each one forward+backward row (plus F(x) and F(x') per record).",
                    "the fewest of `min-steps`, twice that, … `max-steps` whose completeness gap is within `gap-target`, per record")
            .within("at least 2 for the Riemann rules, at most 1000 for `gauss-legendre`",
                    p -> new ParameterSpec.Range(p.get(RULE).minimumSteps(), p.get(RULE).maximumSteps()));

    static final ParameterSpec<Double> GAP_TARGET = ParameterSpec.real("gap-target", 0.01, 1e-9, 1,
            "The completeness gap |sum(attr) − (F(x) − F(x′))| aimed at, as a fraction of |F(x) − F(x′)|.").whenAuto(STEPS);

    static final ParameterSpec<Integer> MIN_STEPS = ParameterSpec.integer("min-steps", 16, 1, 1000,
                    "The steps of the first round.").whenAuto(STEPS)
            .within("the rule's range", p -> new ParameterSpec.Range(p.get(RULE).minimumSteps(), p.get(RULE).maximumSteps()));

    static final ParameterSpec<Integer> MAX_STEPS = ParameterSpec.integer("max-steps", 256, 1, 1000,
                    "The most steps: a record still over the target there keeps them, its gap recorded.").whenAuto(STEPS)
            .within("from `min-steps` to the rule's most", p -> new ParameterSpec.Range(p.get(MIN_STEPS), p.get(RULE).maximumSteps()));

    static final RecordedValue STEPS_USED = new RecordedValue("steps-used",
            "With `steps` `auto`: the steps the record was integrated with (a replay repeats them).", STEPS);

    /** The path's points plus the rows of F(x) and F(x'). */
    static int rowsPerRecord(Parameters parameters) {
        OptionalInt steps = parameters.get(STEPS);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException(parameters.method().id() + " with steps auto sends as many rows as each record needs");
        }
        return steps.getAsInt() + 2;
    }

    /**
     * Attributions [R, ...]; per record delta, F(x), F(x'), the steps it was integrated with, and
     * the layout of its rows' passes.
     */
    record Result(NDArray attributions, float[] delta, float[] inputLogit, float[] baselineLogit, int[] steps, PassLayout[] layouts) {

        /** |delta| / |F(x) - F(x')| of record r (infinite where F(x) = F(x') and delta is not 0). */
        double gap(int r) {
            return gapOf(delta[r], inputLogit[r], baselineLogit[r]);
        }
    }

    private PathIntegral() {}

    static double gapOf(double delta, double fx, double fb) {
        double change = Math.abs((double) fx - fb);
        return delta == 0 ? 0 : change == 0 ? Double.POSITIVE_INFINITY : Math.abs(delta) / change;
    }

    /** The steps of each round: the given steps, or min-steps doubled up to max-steps. */
    static List<Integer> rounds(Parameters parameters) {
        OptionalInt steps = parameters.get(STEPS);
        if (steps.isPresent()) {
            return List.of(steps.getAsInt());
        }
        if (parameters.get(Passes.PASSES).mode() == PassLayout.Mode.RECORDED) {
            throw new IllegalArgumentException(parameters.method().id() + ": a recorded pass layout needs the steps it was recorded with, not auto");
        }
        List<Integer> out = new ArrayList<>();
        int max = parameters.get(MAX_STEPS);
        for (int n = parameters.get(MIN_STEPS); n < max; n *= 2) {
            out.add(n);
        }
        out.add(max);
        return out;
    }

    static Result integrate(Parameters parameters, Differentiable f, NDArray x, NDArray baseline, NDArray aux, int[] targets) {
        IntegrationRule rule = parameters.get(RULE);
        List<Integer> rounds = rounds(parameters);
        // The largest rule first: Hipparchus computes and caches every smaller one on the way, which is slow once (warm-up).
        rule.steps(rounds.get(rounds.size() - 1));
        double target = parameters.get(STEPS).isPresent() ? Double.POSITIVE_INFINITY : parameters.get(GAP_TARGET);
        int records = targets.length;
        NDArray[] attributions = new NDArray[records];
        float[] sums = new float[records];
        float[] fx = new float[records];
        float[] fb = new float[records];
        int[] steps = new int[records];
        int[][] shapes = new int[records][];
        int[] open = IntStream.range(0, records).toArray();
        Round firstRound = null;
        for (int k = 0; k < rounds.size() && open.length > 0; k++) {
            int n = rounds.get(k);
            boolean first = k == 0;
            Round round = round(parameters, f, x, baseline, aux, targets, open, rule.steps(n), first);
            firstRound = first ? round : firstRound;
            List<Integer> still = new ArrayList<>();
            for (int i = 0; i < open.length; i++) {
                int r = open[i];
                int rows = n + (first ? 2 : 0);
                int[] mine = new int[rows];
                for (int j = 0; j < rows; j++) {
                    mine[j] = round.schedule().shapeOf(i * rows + j);
                }
                if (first) {
                    fx[r] = round.inputLogit()[i];
                    fb[r] = round.baselineLogit()[i];
                    shapes[r] = mine;
                } else {
                    // Keep the F(x) and F(x') rows of the first round, then this round's path.
                    int[] both = Arrays.copyOf(shapes[r], 2 + n);
                    System.arraycopy(mine, 0, both, 2, n);
                    shapes[r] = both;
                }
                attributions[r] = first ? null : round.attributions().get(i + ":" + (i + 1));
                sums[r] = round.sums()[i];
                steps[r] = n;
                if (gapOf(sums[r] - (fx[r] - fb[r]), fx[r], fb[r]) > target) {
                    still.add(r);
                }
            }
            open = still.stream().mapToInt(Integer::intValue).toArray();
        }
        float[] delta = new float[records];
        PassLayout[] layouts = new PassLayout[records];
        for (int r = 0; r < records; r++) {
            delta[r] = sums[r] - (fx[r] - fb[r]);
            layouts[r] = PassLayout.of(shapes[r]);
        }
        return new Result(collect(firstRound.attributions(), attributions), delta, fx, fb, steps, layouts);
    }

    /** Each record's attributions from its last round: the first round's rows, where a later round replaced none of them, as they are. */
    private static NDArray collect(NDArray first, NDArray[] later) {
        if (Arrays.stream(later).allMatch(Objects::isNull)) {
            return first;
        }
        NDList rows = new NDList(later.length);
        for (int r = 0; r < later.length; r++) {
            rows.add(later[r] != null ? later[r] : first.get(r + ":" + (r + 1)));
        }
        return NDArrays.concat(rows);
    }

    /** One round's attributions [records, ...] and their sums, F(x) and F(x') (first round only), and its schedule. */
    private record Round(NDArray attributions, float[] sums, float[] inputLogit, float[] baselineLogit, PassSchedule schedule) {}

    /** The path of the given records (indices into x) in n steps, after their F(x) and F(x') rows in the first round. */
    private static Round round(Parameters parameters, Differentiable f, NDArray x, NDArray baseline, NDArray aux, int[] targets,
                               int[] records, IntegrationRule.Steps steps, boolean endpoints) {
        boolean all = records.length == targets.length;
        NDArray index = all ? null : x.getManager().create(Arrays.stream(records).asLongStream().toArray());
        NDArray xs = all ? x : x.get(index);
        NDArray bs = all ? baseline : baseline.get(index);
        NDArray as = aux == null ? null : all ? aux : aux.get(index);
        int[] ts = Arrays.stream(records).map(r -> targets[r]).toArray();
        int r = records.length;
        int n = steps.alphas().length;
        int e = endpoints ? 2 : 0;
        Shape rowShape = xs.getShape().slice(1);
        long[] perStep = new long[2 + rowShape.dimension()];
        Arrays.fill(perStep, 1);
        perStep[1] = n;
        Shape alphaShape = new Shape(perStep);
        NDArray alphas = xs.getManager().create(steps.alphas()).reshape(alphaShape);
        NDArray difference = xs.sub(bs);
        NDArray path = bs.expandDims(1).add(alphas.mul(difference.expandDims(1)));
        NDArray perRecord = endpoints ? NDArrays.concat(new NDList(xs.expandDims(1), bs.expandDims(1), path), 1) : path;
        NDArray rows = perRecord.reshape(new Shape((long) r * (n + e)).addAll(rowShape));
        NDArray rowAux = as == null ? null : as.repeat(0, n + e);
        PassSchedule schedule = Passes.schedule(parameters, r, n + e);

        GradientCore.Gradients g = GradientCore.of(f, rows, rowAux, GradientCore.repeat(ts, n + e), schedule, endpoints);
        NDArray grads = g.gradients().reshape(new Shape(r, n + e).addAll(rowShape));
        NDArray pathGrads = endpoints ? grads.get(":, 2:") : grads;
        NDArray weights = xs.getManager().create(steps.weights()).reshape(alphaShape);
        NDArray attributions = pathGrads.mul(weights).sum(new int[] {1}).mul(difference);
        float[] sums = attributions.reshape(r, -1).sum(new int[] {1}).toFloatArray();
        float[] fx = null;
        float[] fb = null;
        if (endpoints) {
            float[] logits = g.targetLogits().toFloatArray();
            fx = new float[r];
            fb = new float[r];
            for (int i = 0; i < r; i++) {
                fx[i] = logits[i * (n + 2)];
                fb[i] = logits[i * (n + 2) + 1];
            }
        }
        return new Round(attributions, sums, fx, fb, schedule);
    }
}

package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * The integral at the heart of integrated gradients, for every record of a batch at once:
 * attr = (x - x') * sum_k w_k * dF(x' + a_k (x - x'))/dx, plus the completeness delta
 * sum(attr) - (F(x) - F(x')). F(x) and F(x') ride along as two extra rows per record in the same
 * passes, so the check costs no separate forward.
 */
final class PathIntegral {

    static final ParameterSpec<IntegrationRule> RULE = ParameterSpec.choice("rule", IntegrationRule.GAUSS_LEGENDRE,
            "Where along the path the gradient is taken and with what weight (Captum's approximation methods).");

    static final ParameterSpec<Integer> STEPS = ParameterSpec.integer("steps", 50, 1, 100_000,
                    "Points along the path, each one forward+backward row (plus F(x) and F(x') per record).")
            .within("at least 2 for the Riemann rules, at most 1000 for `gauss-legendre`",
                    p -> new ParameterSpec.Range(p.get(RULE).minimumSteps(), p.get(RULE).maximumSteps()));

    /** The path's points plus the rows of F(x) and F(x'). */
    static int rowsPerRecord(Parameters parameters) {
        return parameters.get(STEPS) + 2;
    }

    /** Attributions [R, ...] and per-record delta, F(x), F(x'). */
    record Result(NDArray attributions, float[] delta, float[] inputLogit, float[] baselineLogit) {}

    private PathIntegral() {}

    static Result integrate(Differentiable f, NDArray x, NDArray baseline, NDArray aux, int[] targets,
                            IntegrationRule.Steps steps, int chunk) {
        int records = targets.length;
        int n = steps.alphas().length;
        Shape rowShape = x.getShape().slice(1);
        long[] perStep = new long[2 + rowShape.dimension()];
        java.util.Arrays.fill(perStep, 1);
        perStep[1] = n;
        Shape alphaShape = new Shape(perStep);
        NDArray alphas = x.getManager().create(steps.alphas()).reshape(alphaShape);
        NDArray difference = x.sub(baseline);
        NDArray path = baseline.expandDims(1).add(alphas.mul(difference.expandDims(1)))
                .reshape(new Shape((long) records * n).addAll(rowShape));
        NDArray rows = NDArrays.concat(new NDList(path, x, baseline));
        int[] rowTargets = new int[records * n + 2 * records];
        System.arraycopy(GradientCore.repeat(targets, n), 0, rowTargets, 0, records * n);
        System.arraycopy(targets, 0, rowTargets, records * n, records);
        System.arraycopy(targets, 0, rowTargets, records * n + records, records);
        NDArray rowAux = aux == null ? null : NDArrays.concat(new NDList(aux.repeat(0, n), aux, aux));

        GradientCore.Gradients g = GradientCore.of(f, rows, rowAux, rowTargets, chunk, true);
        NDArray weights = x.getManager().create(steps.weights()).reshape(alphaShape);
        NDArray pathGrads = g.gradients().get("0:" + records * n).reshape(new Shape(records, n).addAll(rowShape));
        NDArray attributions = pathGrads.mul(weights).sum(new int[] {1}).mul(difference);

        float[] logits = g.targetLogits().toFloatArray();
        float[] sums = attributions.reshape(records, -1).sum(new int[] {1}).toFloatArray();
        float[] delta = new float[records];
        float[] fx = new float[records];
        float[] fb = new float[records];
        for (int r = 0; r < records; r++) {
            fx[r] = logits[records * n + r];
            fb[r] = logits[records * n + records + r];
            delta[r] = sums[r] - (fx[r] - fb[r]);
        }
        return new Result(attributions, delta, fx, fb);
    }
}

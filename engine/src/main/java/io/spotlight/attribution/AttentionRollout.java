package io.spotlight.attribution;

import java.util.Map;

/**
 * Attention rollout (Abnar and Zuidema 2020): per layer, the head mean mixed with the identity for
 * the residual connection, rows renormalised, multiplied through the layers. Its CLS row is how
 * much each input token flows into the classification token.
 */
public final class AttentionRollout extends AttentionBase<Double> {

    static final ParameterSpec<Double> RESIDUAL = ParameterSpec.real("residual", 0.5, 0, 1,
            "Weight of the identity mixed into each layer's head mean, for the residual connection.");

    private static final MethodParameters PARAMETERS = MethodParameters.of(RESIDUAL, Passes.CHUNK, Passes.PASSES).recording(HEAD_FUSION);

    public AttentionRollout() {
        super(Method.ATTENTION_ROLLOUT, PARAMETERS);
    }

    @Override
    protected Double configure(Parameters parameters, int layers, int heads) {
        parameters.record(HEAD_FUSION, "mean");
        return parameters.get(RESIDUAL);
    }

    @Override
    protected Selection select(float[] attn, int layers, int heads, int tokens, Double residual) {
        double[] result = new double[tokens * tokens];
        for (int i = 0; i < tokens; i++) {
            result[i * tokens + i] = 1;
        }
        for (int l = 0; l < layers; l++) {
            float[] mean = headMean(attn, l, heads, tokens);
            double[] a = new double[tokens * tokens];
            for (int i = 0; i < tokens; i++) {
                double rowSum = 0;
                for (int j = 0; j < tokens; j++) {
                    a[i * tokens + j] = (1 - residual) * mean[i * tokens + j] + (i == j ? residual : 0);
                    rowSum += a[i * tokens + j];
                }
                for (int j = 0; j < tokens; j++) {
                    a[i * tokens + j] /= rowSum;
                }
            }
            double[] next = new double[tokens * tokens];
            for (int i = 0; i < tokens; i++) {
                for (int k = 0; k < tokens; k++) {
                    double aik = a[i * tokens + k];
                    for (int j = 0; j < tokens; j++) {
                        next[i * tokens + j] += aik * result[k * tokens + j];
                    }
                }
            }
            result = next;
        }
        float[] out = new float[result.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = (float) result[k];
        }
        return new Selection(out, Map.of());
    }
}

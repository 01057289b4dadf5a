package io.spotlight.attribution;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The attention probabilities themselves (the chapter's BERT and ViT views): one layer's head, or
 * the mean of its heads (the default, on the last layer). Extras hold every layer and head, the
 * per-layer head means and the mean over all layers and heads.
 */
public final class AttentionMaps extends AttentionBase<AttentionMaps.Choice> {

    /** A layer, and a head or (head = -1) the mean of the heads. */
    record Choice(int layer, int head) {}

    static final ParameterSpec<Integer> LAYER = ParameterSpec.integer("layer", -1, "The layer; negative counts from the last.")
            .within("[-layers, layers - 1] of the model", p -> new ParameterSpec.Range(-attention(p).layers(), attention(p).layers() - 1))
            .flag("--attention-layer");
    static final ParameterSpec<Integer> HEAD = ParameterSpec.integer("head", -1, "The head, or -1 for the mean of the heads.")
            .within("[-1, heads - 1] of the model", p -> new ParameterSpec.Range(-1, attention(p).heads() - 1))
            .flag("--attention-head");

    private static final MethodParameters PARAMETERS = MethodParameters.of(LAYER, HEAD, Passes.CHUNK, Passes.PASSES).recording(HEAD_FUSION);

    public AttentionMaps() {
        super(Method.ATTENTION, PARAMETERS);
    }

    @Override
    protected Choice configure(Parameters parameters, int layers, int heads) {
        int l = parameters.get(LAYER);
        int head = parameters.get(HEAD);
        parameters.record(HEAD_FUSION, head < 0 ? "mean" : "single");
        return new Choice(l < 0 ? layers + l : l, head);
    }

    @Override
    protected Selection select(float[] attn, int layers, int heads, int tokens, Choice choice) {
        int tt = tokens * tokens;
        int layer = choice.layer();
        int head = choice.head();
        float[] matrix = head < 0 ? null : Arrays.copyOfRange(attn, (layer * heads + head) * tt, (layer * heads + head + 1) * tt);
        float[] perLayer = new float[layers * tt];
        float[] overall = new float[tt];
        for (int l = 0; l < layers; l++) {
            float[] m = headMean(attn, l, heads, tokens);
            if (head < 0 && l == layer) {
                matrix = m; // the chosen layer's head mean: computed once, for the selection and the extras
            }
            System.arraycopy(m, 0, perLayer, l * tt, tt);
            for (int k = 0; k < tt; k++) {
                overall[k] += m[k] / layers;
            }
        }
        Map<String, Tensor> extras = new LinkedHashMap<>();
        extras.put("tensor", new Tensor(attn, new long[] {layers, heads, tokens, tokens}));
        extras.put("head-mean", new Tensor(perLayer, new long[] {layers, tokens, tokens}));
        extras.put("layer-mean", new Tensor(overall, new long[] {tokens, tokens}));
        return new Selection(matrix, extras);
    }
}

package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.spotlight.model.Autograd;
import io.spotlight.model.InputBatch;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelCard.AttentionSpec;
import io.spotlight.model.ModelInput;
import io.spotlight.numeric.Resize;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the attention methods share: one forward without a graph, the attention probabilities
 * [layer, head, query, key] of each record, a token x token matrix chosen from them, and as map
 * its CLS row: over tokens for text, and for a ViT the CLS-to-patch row on the patch grid,
 * bilinearly upsampled to the image as in the chapter.
 */
abstract class AttentionBase<C> extends AttributionMethod {

    /** Both methods record how they fused the heads. */
    static final RecordedValue HEAD_FUSION = new RecordedValue("head-fusion", "`mean` of the heads, or a `single` head.");

    /** The chosen [T, T] matrix and any further views, for one record's [L, H, T, T] attentions. */
    protected record Selection(float[] matrix, Map<String, Tensor> extras) {}

    AttentionBase(Method method, MethodParameters parameters) {
        super(method, parameters);
    }

    /** This method's choice of matrix, from its parameters. */
    protected abstract C configure(Parameters parameters, int layers, int heads);

    /** The model's attention layout, for parameters bounded by it. */
    static AttentionSpec attention(Parameters parameters) {
        AttentionSpec spec = parameters.card().attention();
        if (spec == null) {
            throw new IllegalArgumentException(parameters.card().ref() + " describes no attentions (card: attention)");
        }
        return spec;
    }

    protected abstract Selection select(float[] attentions, int layers, int heads, int tokens, C config);

    @Override
    public boolean supports(LoadedModel model) {
        return model.card().hasAttentions() && model.card().attention() != null;
    }

    @Override
    public List<Attribution> explain(LoadedModel model, List<Subject> subjects, Parameters parameters) {
        long start = System.nanoTime();
        if (!supports(model)) {
            throw new IllegalArgumentException(method() + " needs a model that returns attentions; " + model.card().ref() + " does not");
        }
        AttentionSpec spec = model.card().attention();
        C config = configure(parameters, spec.layers(), spec.heads());
        PassSchedule schedule = Passes.schedule(parameters, subjects.size(), 1);
        List<Tensor> rows;
        try (NDManager manager = model.newManager()) {
            // The model's own input (token ids for text): no Differentiable, so no embedding layers needed.
            NDArray in = InputBatch.of(manager, model.card(), Differentiable.inputs(subjects));
            Autograd.disable();
            try {
                rows = Batch.rows(schedule.run(List.of(in), (x, pass) -> List.of(model.attentions(model.call(null, x.get(0))))).get(0));
            } finally {
                Autograd.enable();
            }
        }
        double ms = Batch.elapsedPerRecord(start, subjects.size());
        Map<String, Object> effective = parameters.effective();
        List<Attribution> out = new ArrayList<>(subjects.size());
        for (int i = 0; i < subjects.size(); i++) {
            Tensor attn = rows.get(i);
            long[] s = attn.shape();
            if (s.length != 4 || s[2] != s[3]) {
                throw new IllegalStateException(model.card().ref() + " attentions have shape " + Arrays.toString(s)
                        + " per record; expected [layer, head, query, key]");
            }
            int all = (int) s[2];
            // Text: only the real tokens. Padding keys are masked (their probability is exactly 0),
            // so the real-token block of every view is the same with or without the padding rows.
            int tokens = subjects.get(i).input() instanceof ModelInput.Tokens t ? t.encoding().length() : all;
            float[] values = tokens == all ? attn.values() : block(attn.values(), (int) (s[0] * s[1]), all, tokens);
            Selection sel = select(values, (int) s[0], (int) s[1], tokens, config);
            Tensor raw = new Tensor(sel.matrix(), new long[] {tokens, tokens});
            List<String> names = Batch.tokens(subjects.get(i));
            out.add(new Attribution(method(), Batch.parameters(effective, schedule.layout(i, i + 1), Map.of()), raw, map(model, sel.matrix(), tokens),
                    names == null ? null : names.subList(0, tokens), Batch.summary(raw), sel.extras(), ms));
        }
        return out;
    }

    private static Tensor map(LoadedModel model, float[] matrix, int tokens) {
        AttentionSpec spec = model.card().attention();
        int cls = spec.clsIndex();
        float[] row = Arrays.copyOfRange(matrix, cls * tokens, (cls + 1) * tokens);
        if (spec.patchGrid() == null) {
            return new Tensor(row, new long[] {tokens});
        }
        int gh = spec.patchGrid().get(0);
        int gw = spec.patchGrid().get(1);
        if (gh * gw != tokens - 1) {
            throw new IllegalStateException("patch grid " + spec.patchGrid() + " does not match " + (tokens - 1) + " patch tokens");
        }
        float[] patches = new float[gh * gw];
        for (int t = 0, k = 0; t < tokens; t++) {
            if (t != cls) {
                patches[k++] = row[t];
            }
        }
        long[] input = model.card().input().shapeArray();
        int h = (int) input[input.length - 2];
        int w = (int) input[input.length - 1];
        return new Tensor(Resize.bilinear(patches, gh, gw, h, w), new long[] {h, w});
    }

    /** The leading n x n block of each of {@code matrices} T x T matrices. */
    static float[] block(float[] full, int matrices, int t, int n) {
        float[] out = new float[matrices * n * n];
        for (int m = 0; m < matrices; m++) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(full, m * t * t + i * t, out, m * n * n + i * n, n);
            }
        }
        return out;
    }

    /** Mean over heads of one layer: [T, T]. */
    static float[] headMean(float[] attn, int layer, int heads, int tokens) {
        int tt = tokens * tokens;
        float[] out = new float[tt];
        for (int h = 0; h < heads; h++) {
            int base = (layer * heads + h) * tt;
            for (int k = 0; k < tt; k++) {
                out[k] += attn[base + k];
            }
        }
        for (int k = 0; k < tt; k++) {
            out[k] /= heads;
        }
        return out;
    }
}

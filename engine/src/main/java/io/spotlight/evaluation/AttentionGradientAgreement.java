package io.spotlight.evaluation;

import io.spotlight.attribution.Attribution;
import io.spotlight.attribution.Method;
import io.spotlight.attribution.MethodParameters;
import io.spotlight.attribution.ParameterSpec;
import io.spotlight.attribution.Parameters;
import io.spotlight.events.Agreement;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelCard;
import io.spotlight.model.ModelInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether attention and gradients tell the same story (Jain and Wallace 2019 found they often do
 * not): for every pair of an attention map and an integrated-gradients map of one record, the
 * Spearman rank correlation and the top-k overlap of the units they rank. Units are a ViT's
 * patches (the attention method's CLS row over the patches; the gradient map's absolute values
 * summed over each patch) or a text's words (between [CLS] and [SEP]; the gradient map's absolute
 * values, since importance is what attention can show). No model passes: the maps are compared.
 */
public final class AttentionGradientAgreement extends ExplanationScore {

    static final ParameterSpec<Integer> TOP_K = ParameterSpec.integer("top-k", 5, 1, 1000,
            "Size k of the top sets whose overlap is reported (at most the record's units).").flag("--agreement-top-k");

    private static final MethodParameters PARAMETERS = MethodParameters.of(TOP_K);

    private static final Set<Method> ATTENTION = Set.of(Method.ATTENTION, Method.ATTENTION_ROLLOUT);
    private static final Set<Method> GRADIENT = Set.of(Method.INTEGRATED_GRADIENTS, Method.LAYER_INTEGRATED_GRADIENTS);

    AttentionGradientAgreement() {
        super(PARAMETERS);
    }

    @Override
    boolean supports(LoadedModel model) {
        ModelCard card = model.card();
        return card.hasAttentions() && card.attention() != null && (card.input().isText() || card.attention().patchGrid() != null);
    }

    /** The score's parameters resolved for a model. */
    public static Parameters resolve(LoadedModel model, Map<String, String> given) {
        return Parameters.resolve(Score.ATTENTION_GRADIENT_AGREEMENT, given, model.card(), model.settings());
    }

    /** Whether the score applies to a model's explanations (attentions over patches or words). */
    public static boolean appliesTo(LoadedModel model) {
        return Score.ATTENTION_GRADIENT_AGREEMENT.implementation().supports(model);
    }

    /** The agreement of every attention map with every integrated-gradients map among a record's attributions. */
    public static List<Agreement> of(LoadedModel model, ModelInput input, List<Attribution> attributions, Parameters parameters) {
        List<Agreement> out = new ArrayList<>();
        if (!appliesTo(model)) {
            return out;
        }
        int topK = parameters.get(TOP_K);
        for (Attribution a : attributions) {
            if (!ATTENTION.contains(a.method())) {
                continue;
            }
            double[] attention = attentionUnits(model.card(), input, a);
            for (Attribution g : attributions) {
                if (!GRADIENT.contains(g.method())) {
                    continue;
                }
                double[] gradient = gradientUnits(model.card(), input, g);
                int k = Math.min(topK, attention.length);
                double rho = Ranks.spearman(attention, gradient);
                boolean[] ta = Ranks.top(attention, k);
                boolean[] tg = Ranks.top(gradient, k);
                int both = 0;
                for (int u = 0; u < ta.length; u++) {
                    both += ta[u] && tg[u] ? 1 : 0;
                }
                out.add(new Agreement(a.method().id(), g.method().id(), Double.isNaN(rho) ? null : rho,
                        k == 0 ? 0 : (double) both / k, k, attention.length));
            }
        }
        return out;
    }

    /** The attention method's CLS row over the patches (image) or the words (text). */
    private static double[] attentionUnits(ModelCard card, ModelInput input, Attribution a) {
        if (input instanceof ModelInput.Tokens t) {
            return words(a.map().values(), t, false);
        }
        int tokens = (int) a.raw().shape()[0];
        int cls = card.attention().clsIndex();
        double[] out = new double[tokens - 1];
        for (int t = 0, u = 0; t < tokens; t++) {
            if (t != cls) {
                out[u++] = a.raw().values()[cls * tokens + t];
            }
        }
        return out;
    }

    /** The gradient map's absolute values per word, or summed over each patch of the grid (row-major). */
    private static double[] gradientUnits(ModelCard card, ModelInput input, Attribution g) {
        if (input instanceof ModelInput.Tokens t) {
            return words(g.map().values(), t, true);
        }
        int gh = card.attention().patchGrid().get(0);
        int gw = card.attention().patchGrid().get(1);
        long[] shape = g.map().shape();
        int h = (int) shape[0];
        int w = (int) shape[1];
        double[] out = new double[gh * gw];
        float[] map = g.map().values();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[(y * gh / h) * gw + x * gw / w] += Math.abs(map[y * w + x]);
            }
        }
        return out;
    }

    /** A map's values at the words (positions 1 .. length - 2), absolute or as they are. */
    private static double[] words(float[] map, ModelInput.Tokens t, boolean absolute) {
        int words = Math.max(0, t.encoding().length() - 2);
        double[] out = new double[words];
        for (int u = 0; u < words; u++) {
            out[u] = absolute ? Math.abs(map[u + 1]) : map[u + 1];
        }
        return out;
    }
}

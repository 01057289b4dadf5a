package io.spotlight.attribution;

import io.spotlight.events.Identified;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The attribution methods, by the names used in configuration, events and the CLI, each with the
 * class that computes it (and declares its parameters) and what it computes, in one line.
 */
public enum Method implements Declared {
    SALIENCY(Saliency::new, "d logit / d x; map: channel reduction"),
    GRADIENT_X_INPUT(GradientXInput::new, "x · d logit / d x"),
    SMOOTHGRAD(SmoothGrad::new, "gradient averaged over x + N(0, σ²), noise seeded from the record"),
    INTEGRATED_GRADIENTS(IntegratedGradients::new,
            "(x − x′) ∫ ∇F, Captum's rules; reports the completeness delta sum(attr) − (F(x) − F(x′))"),
    GRAD_CAM(GradCam::new, "ReLU(Σ_k mean(∂y/∂A_k) A_k) on the card's `features` activation, scaled to [0, 1] and upsampled"),
    GRAD_CAM_PLUS_PLUS(GradCamPlusPlus::new, "pytorch-grad-cam's closed form α = g² / (2g² + ΣA·g³ + 1e-6)"),
    LAYER_INTEGRATED_GRADIENTS(LayerIntegratedGradients::new,
            "IG on a text model's token embeddings; per-token sum, L2-normalised as the chapter"),
    ATTENTION(AttentionMaps::new, "attention probabilities: one layer/head or the head mean (CLS row as map; ViT: CLS-to-patch "
            + "grid upsampled to the image); every layer/head, head means and layer mean as extras"),
    ATTENTION_ROLLOUT(AttentionRollout::new,
            "Abnar & Zuidema: head means with the residual, renormalised, multiplied through the layers");

    private final Supplier<AttributionMethod> create;
    private final String summary;

    Method(Supplier<AttributionMethod> create, String summary) {
        this.create = create;
        this.summary = summary;
    }

    public static Method of(String id) {
        return Identified.of(Method.class, id);
    }

    /** What the method computes, in one line (Markdown). */
    public String summary() {
        return summary;
    }

    /** The parameters the method takes and the values it records, as its class declares them. */
    @Override
    public MethodParameters parameters() {
        return implementation().parameters();
    }

    /** The method's computation (the classes hold no state, so one instance serves every caller). */
    AttributionMethod implementation() {
        return Implementations.BY_METHOD.get(this);
    }

    @Override
    public String toString() {
        return id();
    }

    /** One instance per method, made on first use (after the enum exists). */
    private static final class Implementations {
        static final Map<Method, AttributionMethod> BY_METHOD = new EnumMap<>(Method.class);

        static {
            for (Method m : values()) {
                BY_METHOD.put(m, m.create.get());
            }
        }
    }
}

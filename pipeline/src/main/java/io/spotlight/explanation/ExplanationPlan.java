package io.spotlight.explanation;

import io.spotlight.attribution.Declared;
import io.spotlight.attribution.Method;
import io.spotlight.attribution.MethodCall;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.model.ModelCard;
import io.spotlight.sampling.SamplingReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which methods explain a prediction, by model and sampling reason, and with what parameters.
 * Configuration wins over the model card's default plan:
 * <pre>
 * explain.plan.fashion-cnn.low-confidence = integrated-gradients,grad-cam
 * explain.plan.default.baseline           = grad-cam            (any model)
 * explain.method.integrated-gradients.steps = 32                (every model)
 * explain.method.fashion-cnn.smoothgrad.samples = 25            (one model)
 * </pre>
 * Method parameters start from the card's {@code parameters}, the model author's choices.
 */
public final class ExplanationPlan {

    private final Map<String, String> plans;
    private final Map<String, String> parameters;

    /** Plans by [model|default].reason, and method parameters by [model.]method.parameter, each checked now. */
    public ExplanationPlan(Map<String, String> plans, Map<String, String> parameters) {
        parameters.forEach((k, v) -> check("explain.method.", "method", k, v, Method::of));
        this.plans = Map.copyOf(plans);
        this.parameters = Map.copyOf(parameters);
    }

    public static ExplanationPlan from(SpotlightConfig config) {
        return new ExplanationPlan(config.withPrefix("explain.plan."), config.withPrefix("explain.method."));
    }

    /**
     * A parameter setting (prefix [model.]name.parameter) against the declaration of what it names
     * (a method, a score), as far as no model is needed (name, type, range, choices); what depends on
     * the model or the other values is checked when a call is resolved, first at warm-up.
     */
    static void check(String prefix, String noun, String key, String value, Function<String, ? extends Declared> lookup) {
        String setting = prefix + key;
        String[] parts = key.split("\\.", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException(setting + " is not " + prefix + "[<model>.]<" + noun + ">.<parameter>");
        }
        try {
            Declared declared = lookup.apply(parts[parts.length - 2]);
            String name = parts[parts.length - 1];
            declared.parameters().find(name)
                    .orElseThrow(() -> new IllegalArgumentException(declared.id() + " has no parameter " + name + "; it takes "
                            + declared.parameters().names()))
                    .parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + ": " + e.getMessage(), e);
        }
    }

    public List<MethodCall> calls(ModelCard card, SamplingReason reason) {
        String spec = plans.get(card.id() + "." + reason.id());
        if (spec == null) {
            spec = plans.get("default." + reason.id());
        }
        List<String> names;
        if (spec != null) {
            names = Arrays.stream(spec.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        } else if (card.plan() != null && card.plan().containsKey(reason.id())) {
            names = card.plan().get(reason.id());
        } else if (card.plan() != null && card.plan().containsKey("low-confidence")) {
            names = card.plan().get("low-confidence");
        } else {
            throw new IllegalArgumentException("no explanation plan for " + card.ref() + " and reason " + reason.id()
                    + "; set explain.plan." + card.id() + "." + reason.id());
        }
        List<MethodCall> calls = new ArrayList<>(names.size());
        for (String name : names) {
            Method m = Method.of(name);
            calls.add(new MethodCall(m, parametersFor(card, m)));
        }
        return calls;
    }

    /**
     * The card's parameters for the method, overlaid by explain.method.&lt;method&gt;.*, overlaid by
     * explain.method.&lt;model&gt;.&lt;method&gt;.*.
     */
    public Map<String, String> parametersFor(ModelCard card, Method method) {
        return parametersFor(card, method, parameters);
    }

    /** A declared thing's parameters for a model: the card's, overlaid by the settings for all models, then by the model's own. */
    static Map<String, String> parametersFor(ModelCard card, Declared method, Map<String, String> parameters) {
        Map<String, String> out = new LinkedHashMap<>();
        if (card.parameters() != null && card.parameters().containsKey(method.id())) {
            out.putAll(card.parameters().get(method.id()));
        }
        String global = method.id() + ".";
        String specific = card.id() + "." + method.id() + ".";
        parameters.forEach((k, v) -> {
            if (k.startsWith(global)) {
                out.put(k.substring(global.length()), v);
            }
        });
        parameters.forEach((k, v) -> {
            if (k.startsWith(specific)) {
                out.put(k.substring(specific.length()), v);
            }
        });
        return out;
    }
}

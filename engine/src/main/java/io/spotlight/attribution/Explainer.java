package io.spotlight.attribution;

import io.spotlight.model.LoadedModel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The entry point of the attribution engine: runs a list of method calls over a batch of records
 * of one model, each method batched across the records. Engine-neutral apart from
 * {@link io.spotlight.model.Autograd}; knows nothing of Kafka.
 */
public final class Explainer {

    private final Map<Method, AttributionMethod> methods = new EnumMap<>(Method.class);

    public Explainer() {
        for (AttributionMethod m : List.of(new Saliency(), new GradientXInput(), new SmoothGrad(), new IntegratedGradients(),
                new GradCam(), new GradCamPlusPlus(), new LayerIntegratedGradients(), new AttentionMaps(), new AttentionRollout())) {
            methods.put(m.method(), m);
        }
    }

    public AttributionMethod method(Method m) {
        return methods.get(m);
    }

    /** The methods that apply to a model (its card may list fewer). */
    public List<Method> applicable(LoadedModel model) {
        return methods.values().stream().filter(m -> m.supports(model)).map(AttributionMethod::method).toList();
    }

    /**
     * Every call over every subject; result [subject][call]. A method that does not apply to the
     * model, or is given a parameter it does not have, throws before any record is computed.
     */
    public List<List<Attribution>> explain(LoadedModel model, List<Subject> subjects, List<MethodCall> calls) {
        for (MethodCall call : calls) {
            if (!methods.get(call.method()).supports(model)) {
                throw new IllegalArgumentException(call.method() + " does not apply to " + model.card().ref()
                        + "; it supports " + applicable(model));
            }
        }
        List<List<Attribution>> out = new ArrayList<>(subjects.size());
        for (int i = 0; i < subjects.size(); i++) {
            out.add(new ArrayList<>(calls.size()));
        }
        for (MethodCall call : calls) {
            List<Attribution> results = methods.get(call.method()).explain(model, subjects, new Parameters(call.parameters()));
            for (int i = 0; i < subjects.size(); i++) {
                out.get(i).add(results.get(i));
            }
        }
        return out;
    }
}

package io.spotlight.attribution;

import io.spotlight.model.LoadedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entry point of the attribution engine: runs a list of method calls over a batch of records
 * of one model, each method batched across the records. Engine-neutral apart from
 * {@link io.spotlight.model.Autograd}; knows nothing of Kafka.
 */
public final class Explainer {

    public AttributionMethod method(Method m) {
        return m.implementation();
    }

    /** The methods that apply to a model (its card may list fewer). */
    public List<Method> applicable(LoadedModel model) {
        return Arrays.stream(Method.values()).filter(m -> m.implementation().supports(model)).toList();
    }

    /** A call's parameters resolved for a model; throws if the method does not apply to it or a parameter is wrong. */
    Parameters resolve(LoadedModel model, MethodCall call) {
        if (!call.method().implementation().supports(model)) {
            throw new IllegalArgumentException(call.method() + " does not apply to " + model.card().ref()
                    + "; it supports " + applicable(model));
        }
        return Parameters.resolve(call.method(), call.parameters(), model.card(), model.settings());
    }

    /**
     * Every call over every subject; result [subject][call]. A method that does not apply to the
     * model, or a parameter that is wrong, throws before any record is computed. Calls computed
     * from one forward and backward at the records (saliency, gradient x input, the CAMs) that
     * agree on their passes share that pass: a plan of several costs about what its dearest costs.
     */
    public List<List<Attribution>> explain(LoadedModel model, List<Subject> subjects, List<MethodCall> calls) {
        List<Parameters> resolved = calls.stream().map(c -> resolve(model, c)).toList();
        List<List<Attribution>> byCall = new ArrayList<>(Collections.nCopies(calls.size(), null));
        Map<List<Object>, List<Integer>> sharing = new LinkedHashMap<>();
        for (int c = 0; c < calls.size(); c++) {
            Parameters p = resolved.get(c);
            if (calls.get(c).method().implementation() instanceof InputPassMethod) {
                sharing.computeIfAbsent(List.of(p.get(Passes.CHUNK), p.get(Passes.PASSES)), k -> new ArrayList<>()).add(c);
            } else {
                byCall.set(c, calls.get(c).method().implementation().explain(model, subjects, p));
            }
        }
        sharing.values().forEach(group -> {
            List<List<Attribution>> results = InputPass.explain(model, subjects,
                    group.stream().map(c -> (InputPassMethod) calls.get(c).method().implementation()).toList(),
                    group.stream().map(resolved::get).toList());
            for (int k = 0; k < group.size(); k++) {
                byCall.set(group.get(k), results.get(k));
            }
        });
        List<List<Attribution>> out = new ArrayList<>(subjects.size());
        for (int i = 0; i < subjects.size(); i++) {
            List<Attribution> mine = new ArrayList<>(calls.size());
            for (List<Attribution> results : byCall) {
                mine.add(results.get(i));
            }
            out.add(mine);
        }
        return out;
    }
}

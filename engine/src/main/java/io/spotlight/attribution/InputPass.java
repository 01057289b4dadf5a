package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.spotlight.model.Autograd;
import io.spotlight.model.LoadedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One forward and one backward at the records themselves, shared by the methods of a call list
 * that need no more (saliency, gradient x input, Grad-CAM, Grad-CAM++): the input gradient and, for
 * the CAMs, the card's {@code features} activation with its gradient, from the same pass. Through
 * {@code features} and {@code head}, the head's backward stops at a detached copy of the
 * activation, and a second backward carries that gradient on through {@code features}: the same
 * operations as one backward through {@code forward} (= head(features(x)) by the model contract),
 * so every method gets the bits it gets alone.
 */
final class InputPass {

    /**
     * What the pass gave, one row per record: the points, their gradient (null when no method reads
     * it), the features activation and its gradient (null when no CAM is asked for), the schedule
     * the rows went through, and the pass's time per record and method.
     */
    record Result(Differentiable.Points points, NDArray inputGradients, NDArray activations, NDArray activationGradients,
                  PassSchedule schedule, double msPerRecord) {

        /** What record i records of its passes. */
        PassLayout layout(int i) {
            return schedule.layout(i, i + 1);
        }
    }

    private InputPass() {}

    /**
     * The methods over the subjects from one pass, result [method][subject]. Their parameters must
     * agree on the passes (chunk and passes), as {@link Explainer} groups them.
     */
    static List<List<Attribution>> explain(LoadedModel model, List<Subject> subjects, List<InputPassMethod> methods,
                                           List<Parameters> parameters) {
        long start = System.nanoTime();
        boolean inputGradient = methods.stream().anyMatch(InputPassMethod::needsInputGradient);
        boolean activation = methods.stream().anyMatch(InputPassMethod::needsActivation);
        try (NDManager manager = model.newManager()) {
            Differentiable f = Differentiable.of(model);
            Differentiable.Points p = f.points(manager, subjects);
            PassSchedule schedule = Passes.schedule(parameters.get(0), subjects.size(), 1);
            int[] targets = Batch.targets(subjects);
            Autograd.enable();
            List<NDArray> out = activation
                    ? schedule.run(List.of(p.points()), (in, pass) -> throughFeatures(model, in.get(0), targets, pass, inputGradient))
                    : schedule.run(Arrays.asList(p.points(), p.aux()),
                            (in, pass) -> List.of(GradientCore.pass(f, in.get(0), in.get(1), targets, pass, false).gradients()));
            double share = Batch.elapsedPerRecord(start, subjects.size()) / methods.size();
            Result r = activation
                    ? new Result(p, out.get(0), out.get(1), out.get(2), schedule, share)
                    : new Result(p, out.get(0), null, null, schedule, share);
            List<List<Attribution>> results = new ArrayList<>(methods.size());
            for (int m = 0; m < methods.size(); m++) {
                results.add(methods.get(m).from(model, subjects, parameters.get(m), r));
            }
            return results;
        }
    }

    /**
     * One pass through the card's features and head over x, a pass's rows: [the input gradient (or
     * null without {@code inputGradient}), the activation, its gradient].
     */
    static List<NDArray> throughFeatures(LoadedModel model, NDArray x, int[] targets, PassSchedule.Pass pass, boolean inputGradient) {
        if (inputGradient) {
            x.setRequiresGradient(true);
        }
        NDArray activation = model.call(model.card().layer("features"), x).singletonOrThrow();
        // Computed from data alone the activation is a leaf already; from an input that records a graph, its detached copy is.
        NDArray leaf = inputGradient ? activation.stopGradient() : activation;
        leaf.setRequiresGradient(true);
        NDArray logits = model.logits(model.call(model.card().layer("head"), leaf));
        Autograd.backward(logits, GradientCore.oneHot(leaf, targets, pass, logits.getShape().get(1)));
        NDArray gradient = leaf.getGradient();
        if (!inputGradient) {
            return Arrays.asList(null, leaf, gradient);
        }
        Autograd.backward(activation, gradient);
        return Arrays.asList(x.getGradient(), leaf, gradient);
    }
}

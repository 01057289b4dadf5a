package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.spotlight.model.Autograd;
import io.spotlight.model.LoadedModel;
import io.spotlight.numeric.Resize;
import java.util.ArrayList;
import java.util.List;

/**
 * Class activation maps over the activation the card's {@code features} method returns: the map is
 * ReLU(sum_k w_k A_k), and the variants differ only in how they weight the activation channels
 * from the gradient of the target logit with respect to them (as pytorch-grad-cam's BaseCAM).
 * The raw attribution is that activation-grid map; the map people see is it scaled to [0, 1]
 * (minus min, over max + 1e-7) and then bilinearly upsampled to the input, in the chapter's order.
 */
abstract class BaseCam implements AttributionMethod {

    /** Channel weights [R, K] from activations and gradients [R, K, h, w]. */
    protected abstract NDArray weights(NDArray activations, NDArray gradients);

    @Override
    public boolean supports(LoadedModel model) {
        return model.card().layer("features") != null && model.card().layer("head") != null
                && model.card().input().isImage();
    }

    @Override
    public List<Attribution> explain(LoadedModel model, List<Subject> subjects, Parameters parameters) {
        long start = System.nanoTime();
        if (!supports(model)) {
            throw new IllegalArgumentException(method() + " needs an image model whose card names layers.features and layers.head; "
                    + model.card().ref() + " does not");
        }
        int chunk = Passes.chunk(parameters, model);
        parameters.requireAllUsed(method());
        long[] input = model.card().input().shapeArray();
        int height = (int) input[input.length - 2];
        int width = (int) input[input.length - 1];
        int[] targets = Batch.targets(subjects);
        try (NDManager manager = model.newManager()) {
            NDArray x = Differentiable.of(model).points(manager, subjects).points();
            NDList cams = new NDList();
            Autograd.enable();
            for (int from = 0; from < subjects.size(); from += chunk) {
                int to = Math.min(subjects.size(), from + chunk);
                // Fixed pass shape, for batch-independent bits (see GradientCore).
                NDArray rows = GradientCore.pad(subjects.size() == to - from ? x : x.get(from + ":" + to), chunk);
                // The activation is computed from data only, so it is a leaf we can differentiate at.
                NDArray activations = model.call(model.card().layer("features"), rows).singletonOrThrow();
                activations.setRequiresGradient(true);
                NDArray logits = model.logits(model.call(model.card().layer("head"), activations));
                Autograd.backward(logits, GradientCore.oneHot(activations, targets, from, to, chunk, logits.getShape().get(1)));
                NDArray a = activations.stopGradient();
                NDArray w = weights(a, activations.getGradient());
                NDArray cam = w.expandDims(2).expandDims(3).mul(a).sum(new int[] {1}).maximum(0f);
                cams.add(to - from == chunk ? cam : cam.get("0:" + (to - from)));
            }
            List<Tensor> raws = Batch.rows(GradientCore.concat(cams));
            double ms = Batch.elapsedPerRecord(start, subjects.size());
            List<Attribution> out = new ArrayList<>(subjects.size());
            for (int i = 0; i < subjects.size(); i++) {
                Tensor raw = raws.get(i);
                int h = (int) raw.shape()[0];
                int w = (int) raw.shape()[1];
                float[] map = Resize.bilinear(scale(raw.values()), h, w, height, width);
                out.add(new Attribution(method(), parameters.effective(), raw, new Tensor(map, new long[] {height, width}),
                        null, Batch.summary(raw), java.util.Map.of(), ms));
            }
            return out;
        }
    }

    /** pytorch-grad-cam's scale_cam_image: shift the minimum to 0, divide by the maximum + 1e-7. */
    static float[] scale(float[] cam) {
        float min = Float.POSITIVE_INFINITY;
        for (float v : cam) {
            min = Math.min(min, v);
        }
        float max = Float.NEGATIVE_INFINITY;
        float[] out = new float[cam.length];
        for (int i = 0; i < cam.length; i++) {
            out[i] = cam[i] - min;
            max = Math.max(max, out[i]);
        }
        float d = 1e-7f + max;
        for (int i = 0; i < out.length; i++) {
            out[i] /= d;
        }
        return out;
    }
}

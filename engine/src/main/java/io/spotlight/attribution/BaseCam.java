package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.spotlight.model.Autograd;
import io.spotlight.model.LoadedModel;
import io.spotlight.numeric.Resize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Class activation maps over the activation the card's {@code features} method returns: the map is
 * ReLU(sum_k w_k A_k), and the variants differ only in how they weight the activation channels
 * from the gradient of the target logit with respect to them (as pytorch-grad-cam's BaseCAM).
 * The raw attribution is that activation-grid map; the map people see is it scaled to [0, 1]
 * (minus min, over max + 1e-7) and then bilinearly upsampled to the input, in the chapter's order.
 */
abstract class BaseCam extends AttributionMethod {

    private static final MethodParameters PARAMETERS = MethodParameters.of(Passes.CHUNK);

    BaseCam(Method method) {
        super(method, PARAMETERS);
    }

    /**
     * Channel weights for one record from its activations and gradients, each [K, cells] flat
     * (offset into the pass's arrays). The maps are small, so this runs in Java: fewer engine
     * calls than tensor operations would need.
     */
    protected abstract float[] weights(float[] activations, float[] gradients, int offset, int channels, int cells);

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
        int chunk = parameters.get(Passes.CHUNK);
        long[] input = model.card().input().shapeArray();
        int height = (int) input[input.length - 2];
        int width = (int) input[input.length - 1];
        int[] targets = Batch.targets(subjects);
        List<Tensor> raws = new ArrayList<>(subjects.size());
        List<Tensor> maps = new ArrayList<>(subjects.size());
        try (NDManager manager = model.newManager()) {
            NDArray x = Differentiable.of(model).points(manager, subjects).points();
            Autograd.enable();
            for (int from = 0; from < subjects.size(); from += chunk) {
                int to = Math.min(subjects.size(), from + chunk);
                // Fixed pass shape, for batch-independent bits (see GradientCore).
                NDArray activations = pass(model, GradientCore.passRows(x, from, to, chunk), targets, from, to, chunk);
                long[] shape = activations.getShape().getShape();
                int channels = (int) shape[1];
                int h = (int) shape[2];
                int w = (int) shape[3];
                // Only the first to - from rows are records; the rest pad the pass and stay on the engine.
                int real = to - from;
                float[] a = GradientCore.unpad(activations, real).toFloatArray();
                float[] g = GradientCore.unpad(activations.getGradient(), real).toFloatArray();
                for (int r = 0; r < real; r++) {
                    int offset = r * channels * h * w;
                    float[] weights = weights(a, g, offset, channels, h * w);
                    float[] cam = new float[h * w];
                    for (int k = 0; k < channels; k++) {
                        for (int c = 0; c < h * w; c++) {
                            cam[c] += weights[k] * a[offset + k * h * w + c];
                        }
                    }
                    for (int c = 0; c < cam.length; c++) {
                        cam[c] = Math.max(cam[c], 0f);
                    }
                    raws.add(new Tensor(cam, new long[] {h, w}));
                    maps.add(new Tensor(Resize.bilinear(scale(cam), h, w, height, width), new long[] {height, width}));
                }
            }
        }
        double ms = Batch.elapsedPerRecord(start, subjects.size());
        Map<String, Object> effective = parameters.effective();
        List<Attribution> out = new ArrayList<>(subjects.size());
        for (int i = 0; i < subjects.size(); i++) {
            out.add(new Attribution(method(), effective, raws.get(i), maps.get(i), null, Batch.summary(raws.get(i)),
                    Map.of(), ms));
        }
        return out;
    }

    /**
     * One forward and backward pass over {@code chunk} input rows whose first {@code to - from} are
     * rows [from, to) of the targets: the features activation, with its gradient attached.
     */
    static NDArray pass(LoadedModel model, NDArray rows, int[] targets, int from, int to, int chunk) {
        // The activation is computed from data only, so it is a leaf we can differentiate at.
        NDArray activations = model.call(model.card().layer("features"), rows).singletonOrThrow();
        activations.setRequiresGradient(true);
        NDArray logits = model.logits(model.call(model.card().layer("head"), activations));
        Autograd.backward(logits, GradientCore.oneHot(activations, targets, from, to, chunk, logits.getShape().get(1)));
        return activations;
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

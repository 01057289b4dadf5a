package io.spotlight.attribution;

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
abstract class BaseCam extends InputPassMethod {

    private static final MethodParameters PARAMETERS = MethodParameters.of(Passes.CHUNK, Passes.PASSES);

    BaseCam(Method method) {
        super(method, PARAMETERS);
    }

    /**
     * Channel weights for one record from its activations and gradients, each [K, cells] flat
     * (offset into the batch's arrays). The maps are small, so this runs in Java: fewer engine
     * calls than tensor operations would need.
     */
    protected abstract float[] weights(float[] activations, float[] gradients, int offset, int channels, int cells);

    @Override
    public boolean supports(LoadedModel model) {
        return model.card().layer("features") != null && model.card().layer("head") != null
                && model.card().input().isImage();
    }

    @Override
    boolean needsInputGradient() {
        return false;
    }

    @Override
    boolean needsActivation() {
        return true;
    }

    @Override
    List<Attribution> from(LoadedModel model, List<Subject> subjects, Parameters parameters, InputPass.Result pass) {
        long start = System.nanoTime();
        if (!supports(model)) {
            throw new IllegalArgumentException(method() + " needs an image model whose card names layers.features and layers.head; "
                    + model.card().ref() + " does not");
        }
        long[] input = model.card().input().shapeArray();
        int height = (int) input[input.length - 2];
        int width = (int) input[input.length - 1];
        long[] shape = pass.activations().getShape().getShape();
        int channels = (int) shape[1];
        int h = (int) shape[2];
        int w = (int) shape[3];
        float[] a = pass.activations().toFloatArray();
        float[] g = pass.activationGradients().toFloatArray();
        List<Tensor> raws = new ArrayList<>(subjects.size());
        List<Tensor> maps = new ArrayList<>(subjects.size());
        for (int r = 0; r < subjects.size(); r++) {
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
        double ms = Batch.elapsedPerRecord(start, subjects.size()) + pass.msPerRecord();
        Map<String, Object> effective = parameters.effective();
        List<Attribution> out = new ArrayList<>(subjects.size());
        for (int i = 0; i < subjects.size(); i++) {
            out.add(new Attribution(method(), Batch.parameters(effective, pass.layout(i), Map.of()), raws.get(i), maps.get(i),
                    null, Batch.summary(raws.get(i)), Map.of(), ms));
        }
        return out;
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

package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.spotlight.events.Identified;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelInput;
import io.spotlight.numeric.GaussianBlur;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Integrated gradients (Sundararajan et al. 2017) on an image model's input, with Captum's
 * integration rules and the chapter's baselines: black (zeros), white (ones), random (uniform over
 * the input's range, seeded from the record), blur (Gaussian blur of the input) or a tensor file.
 * Reports the completeness delta sum(attr) - (F(x) - F(x')) with both logits.
 */
public final class IntegratedGradients extends AttributionMethod {

    /** What the path starts from. */
    enum Baseline implements Identified { BLACK, WHITE, RANDOM, BLUR, FILE }

    static final ParameterSpec<Baseline> BASELINE = ParameterSpec.choice("baseline", Baseline.BLACK,
            "What the path starts from: `black` zeros, `white` ones, `random` uniform over the input's range (seeded from "
                    + "the record), `blur` a Gaussian blur of the input, `file` a tensor file.");
    static final ParameterSpec<Integer> BLUR_KERNEL = ParameterSpec.integer("blur-kernel", 51, 1, 1001,
            "Blur kernel size (51 as the chapter; at most the image allows).").when(BASELINE, Baseline.BLUR);
    static final ParameterSpec<Double> BLUR_SIGMA = ParameterSpec.real("blur-sigma", 50.0, 1e-6, 1e6,
            "Blur sigma (50 as the chapter).").when(BASELINE, Baseline.BLUR);
    static final ParameterSpec<String> BASELINE_FILE = ParameterSpec.file("baseline-file",
            "A .npy/.npz tensor of the input's shape.").when(BASELINE, Baseline.FILE);
    static final ParameterSpec<Reduction> REDUCTION = ParameterSpec.choice("reduction", Reduction.ABS_SUM, Reduction.DOC);

    public static final RecordedValue BLUR_KERNEL_EFFECTIVE = new RecordedValue("blur-kernel-effective",
            "The blur kernel size used: `blur-kernel` made odd and at most 2 min(height, width) - 1.");

    private static final MethodParameters PARAMETERS = MethodParameters.of(PathIntegral.RULE, PathIntegral.STEPS,
            PathIntegral.GAP_TARGET, PathIntegral.MIN_STEPS, PathIntegral.MAX_STEPS, BASELINE, BLUR_KERNEL, BLUR_SIGMA, BASELINE_FILE,
            REDUCTION, Passes.CHUNK, Passes.PASSES).recording(BLUR_KERNEL_EFFECTIVE, Subject.SEED, PathIntegral.STEPS_USED);

    public IntegratedGradients() {
        super(Method.INTEGRATED_GRADIENTS, PARAMETERS);
    }

    @Override
    public int rowsPerRecord(Parameters parameters) {
        return PathIntegral.rowsPerRecord(parameters);
    }

    @Override
    public boolean supports(LoadedModel model) {
        return !model.card().input().isText();
    }

    @Override
    public List<Attribution> explain(LoadedModel model, List<Subject> subjects, Parameters parameters) {
        long start = System.nanoTime();
        Differentiable f = Differentiable.of(model);
        Baseline baseline = parameters.get(BASELINE);
        int kernel = baseline == Baseline.BLUR ? parameters.get(BLUR_KERNEL) : 0;
        double sigma = baseline == Baseline.BLUR ? parameters.get(BLUR_SIGMA) : 0;
        Reduction reduction = parameters.get(REDUCTION);
        long[] shape = model.card().input().shapeArray();
        if (baseline == Baseline.BLUR) {
            parameters.record(BLUR_KERNEL_EFFECTIVE, GaussianBlur.effectiveKernel(kernel, (int) shape[shape.length - 2], (int) shape[shape.length - 1]));
        }
        float[] fileBaseline = baseline == Baseline.FILE ? readBaseline(model, Path.of(parameters.get(BASELINE_FILE)), shape) : null;

        try (NDManager manager = model.newManager()) {
            Differentiable.Points p = f.points(manager, subjects);
            float[] baselines = new float[Math.toIntExact(p.points().size())];
            int per = baselines.length / subjects.size();
            for (int i = 0; i < subjects.size(); i++) {
                baseline(baseline, subjects.get(i), baselines, i * per, per, shape, kernel, sigma, fileBaseline);
            }
            NDArray base = manager.create(baselines, p.points().getShape());
            PathIntegral.Result r = PathIntegral.integrate(parameters, f, p.points(), base, p.aux(), Batch.targets(subjects));
            return withGap(method(), parameters, subjects, r, reduction.apply(r.attributions(), f.isImage()),
                    start, baseline == Baseline.RANDOM);
        }
    }

    /** Writes a subject's baseline to out[from, from + per), which holds zeros (black) before. */
    private static void baseline(Baseline kind, Subject s, float[] out, int from, int per, long[] shape, int kernel, double sigma,
                                 float[] file) {
        float[] x = ((ModelInput.Dense) s.input()).values();
        switch (kind) {
            case BLACK -> { }
            case WHITE -> Arrays.fill(out, from, from + per, 1f);
            case RANDOM -> {
                Noise.Range range = Noise.range(x, 0, x.length);
                Noise.uniform(Noise.seedFor(s.seed(), Method.INTEGRATED_GRADIENTS), out, from, per, range.min(), range.max());
            }
            case BLUR -> System.arraycopy(GaussianBlur.blur(x, (int) shape[0], (int) shape[1], (int) shape[2], kernel, sigma),
                    0, out, from, per);
            case FILE -> System.arraycopy(file, 0, out, from, per);
        }
    }

    private static float[] readBaseline(LoadedModel model, Path file, long[] shape) {
        try (NDManager m = model.newManager()) {
            NDList list = NDList.decode(m, Files.readAllBytes(file));
            NDArray a = list.get(0);
            if (a.size() != new Shape(shape).size()) {
                throw new IllegalArgumentException("baseline file " + file + " has shape " + a.getShape()
                        + "; the model takes " + new Shape(shape));
            }
            return a.toType(DataType.FLOAT32, false).toFloatArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read baseline file " + file, e);
        }
    }

    /**
     * The integral's attributions as raw values, with its completeness figures in their summaries
     * (delta, both logits, and the gap |delta| / |F(x) - F(x')| where F(x) differs from F(x')) and,
     * with steps auto, the steps each record took among its parameters.
     */
    static List<Attribution> withGap(Method method, Parameters parameters, List<Subject> subjects, PathIntegral.Result r,
                                     NDArray maps, long start, boolean seeded) {
        Map<String, Object> effective = parameters.effective();
        boolean auto = parameters.get(PathIntegral.STEPS).isEmpty();
        return GradientMethods.assemble(method, subjects, r.attributions(), maps, Batch.elapsedPerRecord(start, subjects.size()), i -> {
            Map<String, Object> derived = new TreeMap<>(seeded ? Batch.seed(subjects.get(i)) : Map.of());
            if (auto) {
                derived.put(PathIntegral.STEPS_USED.name(), r.steps()[i]);
            }
            return Batch.parameters(effective, r.layouts()[i], derived);
        }, (summary, i) -> {
            summary.put("delta", (double) r.delta()[i]);
            summary.put("logit", (double) r.inputLogit()[i]);
            summary.put("baseline_logit", (double) r.baselineLogit()[i]);
            double gap = r.gap(i);
            if (Double.isFinite(gap)) {
                summary.put("gap", gap);
            }
        });
    }
}

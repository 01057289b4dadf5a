package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
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
import java.util.Set;

/**
 * Integrated gradients (Sundararajan et al. 2017) on an image model's input, with Captum's
 * integration rules and the chapter's baselines: black (zeros), white (ones), random (uniform over
 * the input's range, seeded from the record), blur (Gaussian blur of the input) or a tensor file.
 * Reports the completeness delta sum(attr) - (F(x) - F(x')) with both logits.
 */
public final class IntegratedGradients implements AttributionMethod {

    static final Set<String> BASELINES = Set.of("black", "white", "random", "blur", "file");

    /** Integration steps unless the call gives {@code steps}. */
    static final int DEFAULT_STEPS = 50;

    @Override
    public Method method() {
        return Method.INTEGRATED_GRADIENTS;
    }

    @Override
    public boolean supports(LoadedModel model) {
        return !model.card().input().isText();
    }

    @Override
    public List<Attribution> explain(LoadedModel model, List<Subject> subjects, Parameters parameters) {
        long start = System.nanoTime();
        Differentiable f = Differentiable.of(model);
        IntegrationRule rule = Identified.of(IntegrationRule.class, parameters.choice("rule", "gauss-legendre", Set.copyOf(Identified.ids(IntegrationRule.class))));
        int steps = parameters.integer("steps", DEFAULT_STEPS, rule.minimumSteps(), 100_000);
        String baseline = parameters.choice("baseline", "black", BASELINES);
        int kernel = baseline.equals("blur") ? parameters.integer("blur-kernel", 51, 1, 1001) : 0;
        double sigma = baseline.equals("blur") ? parameters.real("blur-sigma", 50.0, 1e-6, 1e6) : 0;
        String file = baseline.equals("file") ? parameters.text("baseline-file", null) : null;
        Reduction reduction = Identified.of(Reduction.class, parameters.choice("reduction", Reduction.ABS_SUM.id(), Set.copyOf(Identified.ids(Reduction.class))));
        int chunk = Passes.chunk(parameters, model);
        parameters.requireAllUsed(method());
        long[] shape = model.card().input().shapeArray();
        if (baseline.equals("blur")) {
            parameters.record("blur-kernel-effective", GaussianBlur.effectiveKernel(kernel, (int) shape[shape.length - 2], (int) shape[shape.length - 1]));
        }
        float[] fileBaseline = file == null ? null : readBaseline(model, Path.of(file), shape);

        try (NDManager manager = model.newManager()) {
            Differentiable.Points p = f.points(manager, subjects);
            float[] baselines = new float[Math.toIntExact(p.points().size())];
            int per = baselines.length / subjects.size();
            for (int i = 0; i < subjects.size(); i++) {
                baseline(baseline, subjects.get(i), baselines, i * per, per, shape, kernel, sigma, fileBaseline);
            }
            NDArray base = manager.create(baselines, p.points().getShape());
            PathIntegral.Result r = PathIntegral.integrate(f, p.points(), base, p.aux(), Batch.targets(subjects),
                    rule.steps(steps), chunk);
            return withDelta(method(), parameters, subjects, r, reduction.apply(r.attributions(), f.isImage()),
                    start, baseline.equals("random"));
        }
    }

    /** Writes a subject's baseline to out[from, from + per), which holds zeros (black) before. */
    private static void baseline(String kind, Subject s, float[] out, int from, int per, long[] shape, int kernel, double sigma,
                                 float[] file) {
        float[] x = ((ModelInput.Dense) s.input()).values();
        switch (kind) {
            case "black" -> { }
            case "white" -> Arrays.fill(out, from, from + per, 1f);
            case "random" -> {
                Noise.Range range = Noise.range(x, 0, x.length);
                Noise.uniform(Noise.seedFor(s.seed(), Method.INTEGRATED_GRADIENTS), out, from, per, range.min(), range.max());
            }
            case "blur" -> System.arraycopy(GaussianBlur.blur(x, (int) shape[0], (int) shape[1], (int) shape[2], kernel, sigma),
                    0, out, from, per);
            case "file" -> System.arraycopy(file, 0, out, from, per);
            default -> throw new IllegalArgumentException("baseline " + kind);
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
            return a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read baseline file " + file, e);
        }
    }

    /** The integral's attributions as raw values, with its completeness figures in their summaries. */
    static List<Attribution> withDelta(Method method, Parameters parameters, List<Subject> subjects, PathIntegral.Result r,
                                       NDArray maps, long start, boolean seeded) {
        return GradientMethods.assemble(method, parameters, subjects, r.attributions(), maps, start, seeded, (summary, i) -> {
            summary.put("delta", (double) r.delta()[i]);
            summary.put("logit", (double) r.inputLogit()[i]);
            summary.put("baseline_logit", (double) r.baselineLogit()[i]);
        });
    }
}

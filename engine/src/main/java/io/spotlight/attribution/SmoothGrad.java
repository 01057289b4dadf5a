package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.spotlight.events.Identified;
import io.spotlight.model.LoadedModel;
import java.util.List;
import java.util.Map;

/**
 * SmoothGrad (Smilkov et al. 2017): the gradient averaged over n noisy copies x + N(0, sigma^2).
 * sigma is absolute by default (Captum's {@code stdevs}) or a fraction of the input's range;
 * the noise is seeded from the record, and every copy of every record of a batch goes through the
 * model together, in chunks.
 */
public final class SmoothGrad extends AttributionMethod {

    static final ParameterSpec<Integer> SAMPLES = ParameterSpec.integer("samples", 50, 1, 100_000,
            "Noisy copies of each record, averaged.");
    static final ParameterSpec<Double> SIGMA = ParameterSpec.real("sigma", 0.15, 0, 1e6, "Standard deviation of the noise.");
    static final ParameterSpec<SigmaMode> SIGMA_MODE = ParameterSpec.choice("sigma-mode", SigmaMode.ABSOLUTE,
            "`sigma` as it is (Captum's `stdevs`), or as a fraction of the input's range.");

    private static final MethodParameters PARAMETERS = MethodParameters.of(SAMPLES, SIGMA, SIGMA_MODE,
            GradientMethods.GRADIENT_REDUCTION, Passes.CHUNK, Passes.PASSES).recording(Subject.SEED);

    /** What {@code sigma} is: the noise's standard deviation itself, or a fraction of each record's range. */
    enum SigmaMode implements Identified { ABSOLUTE, FRACTION }

    /** Draws one subject's noise: {@code count} values, already scaled by sigma. */
    interface NoiseSource {
        float[] draw(Subject subject, int count, double sigma);
    }

    private final NoiseSource noise;

    public SmoothGrad() {
        this((s, count, sigma) -> Noise.gaussian(Noise.seedFor(s.seed(), Method.SMOOTHGRAD), count, sigma));
    }

    SmoothGrad(NoiseSource noise) {
        super(Method.SMOOTHGRAD, PARAMETERS);
        this.noise = noise;
    }

    @Override
    public int rowsPerRecord(Parameters parameters) {
        return parameters.get(SAMPLES);
    }

    @Override
    public boolean supports(LoadedModel model) {
        return GradientMethods.differentiable(model);
    }

    @Override
    public List<Attribution> explain(LoadedModel model, List<Subject> subjects, Parameters parameters) {
        long start = System.nanoTime();
        Differentiable f = Differentiable.of(model);
        int n = parameters.get(SAMPLES);
        double sigma = parameters.get(SIGMA);
        boolean fraction = parameters.get(SIGMA_MODE) == SigmaMode.FRACTION;
        Reduction reduction = parameters.get(GradientMethods.GRADIENT_REDUCTION);
        PassSchedule schedule = Passes.schedule(parameters, subjects.size(), n);
        try (NDManager manager = model.newManager()) {
            Differentiable.Points p = f.points(manager, subjects);
            Shape rowShape = p.points().getShape().slice(1);
            int per = Math.toIntExact(rowShape.size());
            float[] x = fraction ? p.points().toFloatArray() : null;
            float[] all = new float[subjects.size() * n * per];
            for (int i = 0; i < subjects.size(); i++) {
                double s = fraction ? sigma * Noise.range(x, i * per, per).width() : sigma;
                System.arraycopy(noise.draw(subjects.get(i), n * per, s), 0, all, i * n * per, n * per);
            }
            Shape stacked = new Shape(subjects.size(), n).addAll(rowShape);
            NDArray noisy = p.points().expandDims(1).add(manager.create(all, stacked))
                    .reshape(new Shape(subjects.size() * (long) n).addAll(rowShape));
            NDArray aux = p.aux() == null ? null : p.aux().repeat(0, n);
            NDArray grads = GradientCore.of(f, noisy, aux, GradientCore.repeat(Batch.targets(subjects), n), schedule, false)
                    .gradients().reshape(stacked).sum(new int[] {1}).div(n);
            Map<String, Object> effective = parameters.effective();
            return GradientMethods.assemble(method(), subjects, grads, reduction.apply(grads, f.isImage()), Batch.elapsedPerRecord(start, subjects.size()),
                    i -> Batch.parameters(effective, schedule.layout(i * n, (i + 1) * n), Batch.seed(subjects.get(i))));
        }
    }
}

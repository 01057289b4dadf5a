package io.spotlight.attribution;

import io.spotlight.events.Input;
import io.spotlight.events.InvalidInputException;
import io.spotlight.model.InputDecoder;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelInput;
import io.spotlight.model.SampleData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * One record to explain: its decoded input, the class whose logit is differentiated, and the seed
 * every random draw for it comes from (derived from the record's identity, so replays repeat it).
 */
public record Subject(ModelInput input, int target, long seed) {

    /** Methods that draw record the subject's seed beside their parameters. */
    public static final RecordedValue SEED = new RecordedValue("seed", "The record's seed of the random draws (noise, random baselines).");

    /**
     * n records of a model for warm-ups, benchmarks and calibration: its card's samples in turn,
     * decoded as the pipeline decodes them, each explained for its label; a card without samples
     * gets seeded standard-normal tensors of its input shape, explained for class i mod classes.
     * Record i's seed is i.
     */
    public static List<Subject> samples(LoadedModel model, int n) {
        List<SampleData.Sample> samples = SampleData.of(model.card());
        int classes = model.card().numClasses();
        List<Subject> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (samples.isEmpty()) {
                long[] shape = model.card().input().shapeArray();
                float[] values = Noise.gaussian(i, Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact)), 1);
                out.add(new Subject(new ModelInput.Dense(values, shape), i % classes, i));
                continue;
            }
            SampleData.Sample s = samples.get(i % samples.size());
            Input in = s.png() != null ? new Input.Image("png", Base64.getEncoder().encodeToString(s.png())) : new Input.Text(s.text());
            try {
                out.add(new Subject(InputDecoder.DEFAULT.decode(in, model), Math.min(s.label(), classes - 1), i));
            } catch (InvalidInputException e) {
                throw new IllegalArgumentException(model.card().ref() + "'s sample " + i % samples.size() + " does not decode: " + e.getMessage(), e);
            }
        }
        return out;
    }
}

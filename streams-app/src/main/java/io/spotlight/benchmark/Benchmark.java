package io.spotlight.benchmark;

import io.spotlight.attribution.Explainer;
import io.spotlight.attribution.BarePasses;
import io.spotlight.attribution.Method;
import io.spotlight.attribution.MethodCall;
import io.spotlight.attribution.Passes;
import io.spotlight.attribution.Subject;
import io.spotlight.model.SampleData;
import io.spotlight.model.InputDecoder;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelInput;
import io.spotlight.events.Input;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Times every method on a model against its floor: median milliseconds per record for a batch of
 * records and for one record alone, and the same passes of bare forward+backward. Numbers only;
 * no assertions (benchmarks are not tests).
 */
public final class Benchmark {

    /** One measured row. */
    public record Row(String model, String method, int chunk, int batch, double msPerRecord, double floorMsPerRecord,
                      double singleMs, double singleFloorMs, int passes) {
        public double ratio() {
            return msPerRecord / floorMsPerRecord;
        }

        public double singleRatio() {
            return singleMs / singleFloorMs;
        }
    }

    private final int warmup;
    private final int repeats;
    private final Explainer explainer = new Explainer();

    public Benchmark(int warmup, int repeats) {
        this.warmup = warmup;
        this.repeats = repeats;
    }

    public static List<Subject> subjects(LoadedModel model, int n) throws Exception {
        List<SampleData.Sample> samples = SampleData.of(model.card());
        List<Subject> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SampleData.Sample s = samples.get(i % samples.size());
            Input in = s.png() != null ? new Input.Image("png", Base64.getEncoder().encodeToString(s.png())) : new Input.Text(s.text());
            ModelInput decoded = InputDecoder.DEFAULT.decode(in, model);
            out.add(new Subject(decoded, Math.min(s.label(), model.card().numClasses() - 1), i));
        }
        return out;
    }

    public Row measure(LoadedModel model, Method method, int batch, int chunk) throws Exception {
        List<Subject> many = subjects(model, batch);
        List<MethodCall> calls = List.of(new MethodCall(method, Map.of(Passes.CHUNK.name(), Integer.toString(chunk))));
        double batched = median(() -> explainer.explain(model, many, calls));
        double single = median(() -> explainer.explain(model, many.subList(0, 1), calls));
        // CAMs and attention send one row per record; the floor of a lone record is its own rows, padded as the method pads them.
        int rows = BarePasses.rowsPerRecord(model, calls.get(0));
        int passesBatched = (int) Math.ceil((double) rows * batch / chunk);
        double floorBatched = median(() -> BarePasses.millis(model, method, many, rows * batch, chunk));
        double floorSingle = median(() -> BarePasses.millis(model, method, many.subList(0, 1), rows, chunk));
        return new Row(model.card().ref().toString(), method.id(), chunk, batch, batched / batch, floorBatched / batch,
                single, floorSingle, passesBatched);
    }

    /** Median wall milliseconds of the task after warm-up runs. */
    double median(Task task) throws Exception {
        for (int i = 0; i < warmup; i++) {
            task.run();
        }
        double[] t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            task.run();
            t[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(t);
        return repeats % 2 == 1 ? t[repeats / 2] : (t[repeats / 2 - 1] + t[repeats / 2]) / 2;
    }

    @FunctionalInterface
    interface Task {
        Object run() throws Exception;
    }
}

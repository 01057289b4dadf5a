package io.spotlight.benchmark;

import io.spotlight.attribution.BarePasses;
import io.spotlight.attribution.Explainer;
import io.spotlight.attribution.MethodCall;
import io.spotlight.attribution.Subject;
import io.spotlight.model.LoadedModel;
import java.util.Arrays;
import java.util.List;

/**
 * Times a method on a model against its floor: median milliseconds per record for a batch of
 * records and for one record alone, and the unpadded forward+backward passes of the same rows
 * alone (whole passes of the chunk, then one of exactly the rows left). Numbers only; no
 * assertions (benchmarks are not tests).
 */
public final class Benchmark {

    /** One measured row: the method batched and alone, each against its floor. */
    public record Row(String model, String method, int chunk, int batch, double msPerRecord, double floorMsPerRecord,
                      double singleMs, double singleFloorMs) {
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

    public Row measure(LoadedModel model, MethodCall call, int batch) throws Exception {
        List<Subject> many = Subject.samples(model, batch);
        List<MethodCall> calls = List.of(call);
        int chunk = model.settings().chunk();
        double batched = median(() -> explainer.explain(model, many, calls));
        double single = median(() -> explainer.explain(model, many.subList(0, 1), calls));
        int rows = BarePasses.rowsPerRecord(model, call);
        double floorBatched = median(() -> BarePasses.millis(model, call.method(), many, rows * batch, chunk));
        double floorSingle = median(() -> BarePasses.millis(model, call.method(), many.subList(0, 1), rows, chunk));
        return new Row(model.card().ref().toString(), call.method().id(), chunk, batch, batched / batch, floorBatched / batch,
                single, floorSingle);
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

package io.spotlight.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelInput;
import io.spotlight.testing.Models;
import io.spotlight.testing.SampleImages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Four threads explaining at once on one shared model, without any global gradient lock, get
 * exactly the bits one thread gets.
 */
class ConcurrentThreadsTest {

    static final List<MethodCall> CALLS = List.of(
            MethodCall.of(Method.SALIENCY), new MethodCall(Method.INTEGRATED_GRADIENTS, Map.of("steps", "16")),
            new MethodCall(Method.SMOOTHGRAD, Map.of("samples", "8")), MethodCall.of(Method.GRAD_CAM));

    static List<Subject> batch(int k) {
        List<Subject> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int sample = (k * 4 + i) % SampleImages.count();
            out.add(new Subject(new ModelInput.Dense(SampleImages.tensor(sample), new long[] {1, 28, 28}), SampleImages.label(sample), sample));
        }
        return out;
    }

    static List<float[]> flatten(List<List<Attribution>> results) {
        List<float[]> out = new ArrayList<>();
        results.forEach(r -> r.forEach(a -> {
            out.add(a.raw().values());
            out.add(a.map().values());
        }));
        return out;
    }

    @Test
    void fourThreadsGetTheBitsOneThreadGets() throws Exception {
        LoadedModel model = Models.shippedModel("fashion-cnn");
        Explainer explainer = new Explainer();
        int batches = 12;
        List<List<float[]>> serial = new ArrayList<>();
        for (int k = 0; k < batches; k++) {
            serial.add(flatten(explainer.explain(model, batch(k), CALLS)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 2; round++) {
                List<Future<List<float[]>>> futures = new ArrayList<>();
                for (int k = 0; k < batches; k++) {
                    int kk = k;
                    futures.add(pool.submit(() -> flatten(explainer.explain(model, batch(kk), CALLS))));
                }
                for (int k = 0; k < batches; k++) {
                    List<float[]> parallel = futures.get(k).get();
                    for (int j = 0; j < parallel.size(); j++) {
                        assertThat(parallel.get(j)).as("round %d batch %d array %d", round, k, j).containsExactly(serial.get(k).get(j));
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

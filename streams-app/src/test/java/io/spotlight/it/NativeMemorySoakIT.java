package io.spotlight.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.attribution.Attribution;
import io.spotlight.attribution.Explainer;
import io.spotlight.attribution.Method;
import io.spotlight.attribution.MethodCall;
import io.spotlight.attribution.Subject;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelInput;
import io.spotlight.testing.Models;
import io.spotlight.testing.SampleImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every NDArray lives in a manager closed per batch: 10 000 attributions (several methods, batches
 * of 16) leave the process's resident memory flat, within 5 % of what it was after warm-up. The
 * JVM heap is pre-touched at full size (failsafe's argLine), so what could grow is native memory.
 */
class NativeMemorySoakIT {

    @Test
    void tenThousandAttributionsDoNotGrowResidentMemory() throws Exception {
        LoadedModel model = Models.shippedModel("fashion-cnn");
        Explainer explainer = new Explainer();
        List<MethodCall> calls = List.of(MethodCall.of(Method.SALIENCY), MethodCall.of(Method.GRAD_CAM),
                new MethodCall(Method.INTEGRATED_GRADIENTS, Map.of("steps", "8")), new MethodCall(Method.SMOOTHGRAD, Map.of("samples", "4")));
        int perBatch = 16;
        long attributions = 0;
        long warmRss = 0;
        long peak = 0;
        List<Long> trace = new ArrayList<>();
        for (int batch = 0; attributions < 10_000; batch++) {
            List<Subject> subjects = new ArrayList<>(perBatch);
            for (int i = 0; i < perBatch; i++) {
                int s = (batch * perBatch + i) % SampleImages.count();
                subjects.add(new Subject(new ModelInput.Dense(SampleImages.tensor(s), new long[] {1, 28, 28}), SampleImages.label(s), s));
            }
            for (List<Attribution> r : explainer.explain(model, subjects, calls)) {
                attributions += r.size();
            }
            if (batch == 20) {
                System.gc();
                warmRss = rss();
            }
            if (batch > 20 && batch % 20 == 0) {
                long now = rss();
                peak = Math.max(peak, now);
                trace.add(now / (1 << 20));
            }
        }
        System.gc();
        long end = rss();
        System.out.printf("resident memory MiB after warm-up %d, at end %d, peak %d over %d attributions; trace %s%n",
                warmRss >> 20, end >> 20, peak >> 20, attributions, trace);
        assertThat((double) end).as("resident bytes at the end vs after warm-up").isLessThanOrEqualTo(warmRss * 1.05);
        assertThat((double) peak).as("peak resident bytes vs after warm-up").isLessThanOrEqualTo(warmRss * 1.05);
    }

    static long rss() throws Exception {
        String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
        return Long.parseLong(statm[1]) * 4096;
    }
}

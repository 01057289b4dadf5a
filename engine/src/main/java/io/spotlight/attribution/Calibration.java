package io.spotlight.attribution;

import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelSettings;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses a model's chunk and pass overhead by measuring its forward+backward pass at each rung of
 * the ladder (1, 2, 4, ... rows; the median of three after one unmeasured): the chunk is the rung whose rows cost least each (small models on
 * CPU want big passes, per-call overhead dominating; big ones small passes, memory traffic
 * dominating), the overhead what a pass costs beyond its rows, in rows (a line fitted to the rungs
 * up to the chunk), which decides how readily a partial pass is padded rather than split.
 */
public final class Calibration {

    /** The largest rung tried. */
    public static final int MAX_CHUNK = 128;

    /** Milliseconds per pass by rung, and what they choose. */
    public record Result(Map<Integer, Double> msPerPass, int chunk, double passOverhead) {
        public ModelSettings settings() {
            return new ModelSettings(chunk, passOverhead);
        }
    }

    private Calibration() {}

    /**
     * Times the rungs, doubling, until two in a row cost more per row than the cheapest so far (a big
     * model stops early) or {@link #MAX_CHUNK}.
     */
    public static Result measure(LoadedModel model) {
        List<Subject> template = Subject.samples(model, 8);
        Map<Integer, Double> ms = new LinkedHashMap<>();
        double cheapest = Double.POSITIVE_INFINITY;
        int worse = 0;
        for (int rows = 1; rows <= MAX_CHUNK && worse < 2; rows *= 2) {
            double[] runs = new double[4];
            for (int i = 0; i < runs.length; i++) {
                runs[i] = BarePasses.millis(model, Method.SALIENCY, template, rows, rows);
            }
            Arrays.sort(runs, 1, runs.length);
            double t = runs[2];
            ms.put(rows, t);
            worse = t / rows < cheapest ? 0 : worse + 1;
            cheapest = Math.min(cheapest, t / rows);
        }
        return choose(ms);
    }

    /** The chunk (the smallest rung within 5 % of the cheapest per row) and the overhead (intercept / slope of a line through the rungs up to it). */
    static Result choose(Map<Integer, Double> ms) {
        double cheapest = ms.entrySet().stream().mapToDouble(e -> e.getValue() / e.getKey()).min().orElseThrow();
        int chunk = ms.entrySet().stream().filter(e -> e.getValue() / e.getKey() <= cheapest * 1.05)
                .mapToInt(Map.Entry::getKey).min().orElseThrow();
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (var e : ms.entrySet()) {
            if (e.getKey() <= chunk) {
                n++;
                sx += e.getKey();
                sy += e.getValue();
                sxx += (double) e.getKey() * e.getKey();
                sxy += e.getKey() * e.getValue();
            }
        }
        double slope = n < 2 ? 0 : (n * sxy - sx * sy) / (n * sxx - sx * sx);
        double intercept = n < 2 ? 0 : (sy - slope * sx) / n;
        double overhead = slope > 0 && intercept > 0 ? intercept / slope : 0;
        return new Result(ms, chunk, Math.round(overhead * 100) / 100.0);
    }
}

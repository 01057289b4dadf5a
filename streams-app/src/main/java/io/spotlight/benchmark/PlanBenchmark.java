package io.spotlight.benchmark;

import io.spotlight.attribution.Explainer;
import io.spotlight.attribution.Method;
import io.spotlight.attribution.MethodCall;
import io.spotlight.attribution.Subject;
import io.spotlight.model.LoadedModel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What a plan of several methods costs against its dearest member alone, batched and for one
 * record: the model card's plans, and every method computed from one pass at the records (which
 * share that pass). Same records, same run.
 */
public final class PlanBenchmark {

    /** A plan, its time and its dearest member's (named: the dearest batched), per record batched and for one record (ms). */
    public record Row(String model, List<String> plan, String dearest, double batchedMs, double dearestBatchedMs,
                      double singleMs, double dearestSingleMs) {
        public double ratio() {
            return batchedMs / dearestBatchedMs;
        }

        public double singleRatio() {
            return singleMs / dearestSingleMs;
        }
    }

    /** The methods computed from one forward and backward at the records. */
    static final Set<Method> AT_THE_INPUT = Set.of(Method.SALIENCY, Method.GRADIENT_X_INPUT, Method.GRAD_CAM, Method.GRAD_CAM_PLUS_PLUS);

    private final Benchmark timer;
    private final Explainer explainer = new Explainer();

    public PlanBenchmark(Benchmark timer) {
        this.timer = timer;
    }

    /** The model's plans with more than one method, then all its methods that share one pass. */
    public static List<List<Method>> plans(LoadedModel model, Explainer explainer) {
        Set<List<Method>> out = new LinkedHashSet<>();
        if (model.card().plan() != null) {
            model.card().plan().values().forEach(names -> out.add(names.stream().map(Method::of).toList()));
        }
        out.add(explainer.applicable(model).stream().filter(AT_THE_INPUT::contains).toList());
        return out.stream().filter(p -> p.size() > 1).toList();
    }

    public List<Row> measure(LoadedModel model, int batch, Function<Method, MethodCall> call) throws Exception {
        List<Subject> many = Subject.samples(model, batch);
        List<Subject> one = many.subList(0, 1);
        List<Row> rows = new ArrayList<>();
        for (List<Method> plan : plans(model, explainer)) {
            List<MethodCall> calls = plan.stream().map(call).toList();
            double batched = timer.median(() -> explainer.explain(model, many, calls)) / batch;
            double single = timer.median(() -> explainer.explain(model, one, calls));
            String dearest = null;
            double dearestBatched = 0;
            double dearestSingle = 0;
            for (MethodCall c : calls) {
                double b = timer.median(() -> explainer.explain(model, many, List.of(c))) / batch;
                double s = timer.median(() -> explainer.explain(model, one, List.of(c)));
                if (b > dearestBatched) {
                    dearest = c.method().id();
                    dearestBatched = b;
                }
                dearestSingle = Math.max(dearestSingle, s);
            }
            rows.add(new Row(model.card().ref().toString(), plan.stream().map(Method::id).toList(), dearest, batched, dearestBatched,
                    single, dearestSingle));
        }
        return rows;
    }
}

package io.spotlight.explanation;

import io.spotlight.attribution.Attribution;
import io.spotlight.attribution.Explainer;
import io.spotlight.attribution.MethodCall;
import io.spotlight.attribution.Subject;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.evaluation.AttentionGradientAgreement;
import io.spotlight.evaluation.FaithfulnessCurves;
import io.spotlight.evaluation.Score;
import io.spotlight.events.Agreement;
import io.spotlight.events.DeadLetter;
import io.spotlight.events.EncodedMap;
import io.spotlight.events.ExplanationEvent.ClassRef;
import io.spotlight.events.ExplanationEvent.MethodResult;
import io.spotlight.events.ExplanationEvent.Sampling;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Faithfulness;
import io.spotlight.events.FocusStats;
import io.spotlight.events.MisclassificationEvent;
import io.spotlight.events.ModelRef;
import io.spotlight.events.PredictionEvent;
import io.spotlight.focus.FocusCalculator;
import io.spotlight.focus.FocusSettings;
import io.spotlight.model.Classifier;
import io.spotlight.model.DjlRuntime;
import io.spotlight.model.InputDecoder;
import io.spotlight.model.InvalidInputException;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelInput;
import io.spotlight.model.ModelRegistry;
import io.spotlight.sampling.SamplingReason;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns sampled predictions into explanation events: decodes inputs, groups the records that
 * share a model and a plan so each method runs once over the group, and assembles events with
 * everything needed to reproduce them. A group that fails is retried record by record, so one
 * bad record fails alone. No Kafka here.
 */
public final class ExplanationService {

    private static final Logger log = LoggerFactory.getLogger(ExplanationService.class);

    private final ModelRegistry registry;
    private final ExplanationPlan plan;
    private final Explainer explainer;
    private final Clock clock;
    private final List<String> focusPreference;
    private final PrivacyPolicy privacy;
    private final ScorePlan scores;
    private final FaithfulnessCurves curves = new FaithfulnessCurves();
    private final Map<ModelRef, FocusSettings> focus = new ConcurrentHashMap<>();
    private final Map<ModelRef, Optional<String>> driftMethods = new ConcurrentHashMap<>();

    /**
     * @param focusPreference whose map the focus statistics describe: the first of these an explanation has
     * @param privacy what of a prediction the published events may carry
     * @param scores which explanations are scored, with what parameters
     */
    public ExplanationService(ModelRegistry registry, ExplanationPlan plan, Explainer explainer, Clock clock, List<String> focusPreference,
                              PrivacyPolicy privacy, ScorePlan scores) {
        this.registry = registry;
        this.plan = plan;
        this.explainer = explainer;
        this.clock = clock;
        this.focusPreference = List.copyOf(focusPreference);
        this.privacy = privacy;
        this.scores = scores;
    }

    public ExplanationPlan plan() {
        return plan;
    }

    private record Group(LoadedModel model, List<MethodCall> calls) {}

    /** A request, its decoded input, and its subjects: one target, or the predicted and the true class. */
    private record Item(int index, ExplainRequest request, ModelInput input, List<Subject> subjects) {}

    /** The service a configuration describes: its plan, its focus.methods preference, its privacy settings, its scores. */
    public static ExplanationService of(SpotlightConfig config, ModelRegistry registry, Clock clock) {
        return new ExplanationService(registry, ExplanationPlan.from(config), new Explainer(), clock,
                List.of(config.get("focus.methods").split("\\s*,\\s*")), PrivacyPolicy.of(config), ScorePlan.from(config));
    }

    public ScorePlan scores() {
        return scores;
    }

    /**
     * A recorded explanation to compute again: its request, the model version to use (the one
     * recorded, or another for a what-if audit), the method calls with their recorded parameters,
     * and the recorded seed.
     */
    public record Redo(ExplainRequest request, ModelRef model, List<MethodCall> calls, long seed) {}

    /** One outcome per redo, in order: the same assembly as live explanations, with what was recorded. */
    public List<Outcome> redo(List<Redo> redos) {
        Outcome[] out = new Outcome[redos.size()];
        Map<Group, List<Item>> groups = new LinkedHashMap<>();
        for (int i = 0; i < redos.size(); i++) {
            Redo r = redos.get(i);
            prepare(i, r.request(), r.model(), r.seed(), model -> r.calls(), groups, out);
        }
        groups.forEach((group, items) -> explainGroup(group, items, out));
        return Arrays.asList(out);
    }

    /** The seed of a prediction's random draws, as live explanations derive it. */
    public static long seedOf(PredictionEvent e) {
        return Digests.recordSeed(e.id(), e.model());
    }

    /** One outcome per request, in request order. */
    public List<Outcome> explain(List<ExplainRequest> requests) {
        Outcome[] out = new Outcome[requests.size()];
        Map<Group, List<Item>> groups = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            ExplainRequest r = requests.get(i);
            prepare(i, r, r.event().model(), seedOf(r.event()), model -> plan.calls(model.card(), r.decision().reason()), groups, out);
        }
        groups.forEach((group, items) -> explainGroup(group, items, out));
        return Arrays.asList(out);
    }

    /**
     * Decodes a request's input for the model version and puts it in the group of its model and
     * calls, with its subjects: the predicted class, and for a misclassification the true class too.
     * A request that cannot be explained gets its failed outcome instead.
     */
    private void prepare(int index, ExplainRequest r, ModelRef ref, long seed, Function<LoadedModel, List<MethodCall>> calls,
                         Map<Group, List<Item>> groups, Outcome[] out) {
        LoadedModel model = registry.find(ref).orElse(null);
        if (model == null) {
            out[index] = new Outcome.Failed(r, DeadLetter.Reason.UNKNOWN_MODEL, "model " + ref + " is not registered here");
            return;
        }
        try {
            PredictionEvent e = r.event();
            ModelInput input = InputDecoder.decode(e.input(), model);
            List<Subject> subjects = new ArrayList<>(2);
            subjects.add(new Subject(input, e.prediction().classIndex(), seed));
            if (r.isMisclassification()) {
                if (r.trueClass() < 0 || r.trueClass() >= model.card().numClasses()) {
                    throw new InvalidInputException(DeadLetter.Reason.INCONSISTENT_PREDICTION,
                            "true class " + r.trueClass() + " outside the model's " + model.card().numClasses() + " classes");
                }
                subjects.add(new Subject(input, r.trueClass(), seed));
            }
            groups.computeIfAbsent(new Group(model, calls.apply(model)), g -> new ArrayList<>()).add(new Item(index, r, input, subjects));
        } catch (InvalidInputException ex) {
            out[index] = new Outcome.Failed(r, ex.reason(), ex.getMessage());
        } catch (RuntimeException ex) {
            out[index] = new Outcome.Failed(r, DeadLetter.Reason.EXPLAIN_FAILED, String.valueOf(ex.getMessage()));
        }
    }

    private void explainGroup(Group group, List<Item> items, Outcome[] out) {
        try {
            List<Subject> subjects = items.stream().flatMap(i -> i.subjects().stream()).toList();
            List<List<Attribution>> results = explainer.explain(group.model(), subjects, group.calls());
            Map<Integer, FaithfulnessCurves.Scored> scored = score(group.model(), items, results);
            int k = 0;
            for (Item item : items) {
                if (item.request().isMisclassification()) {
                    out[item.index()] = new Outcome.Analysed(item.request(), misclassification(item, group.model(), results.get(k), results.get(k + 1)));
                } else {
                    out[item.index()] = new Outcome.Explained(item.request(), event(item, group.model(), results.get(k), scored.get(item.index())));
                }
                k += item.subjects().size();
            }
        } catch (RuntimeException e) {
            if (items.size() == 1) {
                Item item = items.get(0);
                log.warn("explaining {} with {} failed: {}", item.request().event().id(), group.calls(), e.toString());
                out[item.index()] = new Outcome.Failed(item.request(), DeadLetter.Reason.EXPLAIN_FAILED, String.valueOf(e));
                return;
            }
            log.warn("a batch of {} records of {} failed ({}); explaining them one by one", items.size(), group.model().card().ref(), e.toString());
            for (Item item : items) {
                explainGroup(group, List.of(item), out);
            }
        }
    }

    /**
     * Curves for the explanations (not misclassification analyses) of the records in the scored
     * share, all in one run, by item index. Scoring judges an explanation that is already made: if
     * it fails, the explanations are published without curves rather than lost.
     */
    private Map<Integer, FaithfulnessCurves.Scored> score(LoadedModel model, List<Item> items, List<List<Attribution>> results) {
        Map<Integer, FaithfulnessCurves.Scored> out = new java.util.HashMap<>();
        if (!FaithfulnessCurves.supports(model)) {
            return out;
        }
        List<Subject> subjects = new ArrayList<>();
        List<List<Attribution>> attributions = new ArrayList<>();
        List<Integer> which = new ArrayList<>();
        int k = 0;
        for (Item item : items) {
            if (!item.request().isMisclassification() && scores.scores(item.subjects().get(0).seed())) {
                subjects.add(item.subjects().get(0));
                attributions.add(results.get(k));
                which.add(item.index());
            }
            k += item.subjects().size();
        }
        if (subjects.isEmpty()) {
            return out;
        }
        try {
            List<FaithfulnessCurves.Scored> s = curves.score(model, subjects, attributions, scores.curves(model.card()));
            for (int i = 0; i < s.size(); i++) {
                out.put(which.get(i), s.get(i));
            }
        } catch (RuntimeException e) {
            log.warn("scoring {} explanations of {} failed; they are published without curves: {}", subjects.size(),
                    model.card().ref(), e.toString());
        }
        return out;
    }

    /**
     * The method whose focus the drift stage follows for a model: the preferred one among its
     * baseline plan's methods, since baseline samples are the steady share of every window. One
     * method per model keeps windows and references from mixing maps of different methods.
     */
    public Optional<String> driftMethod(ModelRef ref) {
        return driftMethods.computeIfAbsent(ref, r -> registry.find(r).flatMap(m -> {
            List<String> baseline;
            try {
                baseline = plan.calls(m.card(), SamplingReason.BASELINE).stream().map(c -> c.method().id()).toList();
            } catch (IllegalArgumentException noPlan) {
                return Optional.empty();
            }
            return focusPreference.stream().filter(baseline::contains).findFirst();
        }));
    }

    /** Whether the explanation's focus statistics belong in its model's drift windows. */
    public boolean feedsDrift(ExplanationEvent e) {
        return e.focus() != null && driftMethod(e.model()).filter(e.focus().method()::equals).isPresent();
    }

    /**
     * Focus statistics of the model's drift method's map when the explanation has it, else of the
     * preferred method's map, with that map's faithfulness gains where it was scored; null when
     * none of the methods gives a map to judge.
     */
    private FocusStats focus(LoadedModel model, List<MethodResult> results) {
        List<String> order = new ArrayList<>(focusPreference.size() + 1);
        driftMethod(model.card().ref()).ifPresent(order::add);
        order.addAll(focusPreference);
        for (String method : order) {
            for (MethodResult r : results) {
                if (r.method().equals(method)) {
                    FocusSettings settings = focus.computeIfAbsent(model.card().ref(), k -> FocusSettings.of(model.card()));
                    int[] shape = r.map().shape();
                    FocusStats stats = shape.length == 2
                            ? FocusCalculator.image(method, r.map().values(), shape[0], shape[1], settings)
                            : FocusCalculator.text(method, r.map().values(), r.tokens(), settings);
                    Faithfulness f = r.faithfulness();
                    return f == null || f.deletion() == null || f.insertion() == null ? stats : stats.scored(f.deletion().gain(), f.insertion().gain());
                }
            }
        }
        return null;
    }

    /** The attributions as they travel in events; text maps lose their padding (one value per real token). */
    private static List<MethodResult> results(ModelInput input, List<Attribution> attributions) {
        int length = input instanceof ModelInput.Tokens t ? t.encoding().length() : -1;
        List<MethodResult> results = new ArrayList<>(attributions.size());
        for (Attribution a : attributions) {
            float[] map = a.map().values();
            int[] shape = a.map().intShape();
            List<String> tokens = a.tokens();
            if (length > 0 && shape.length == 1) {
                map = Arrays.copyOf(map, length);
                shape = new int[] {length};
                tokens = tokens.subList(0, length);
            }
            results.add(new MethodResult(a.method().id(), a.parameters(), EncodedMap.of(map, shape), tokens, a.summary(), a.elapsedMs()));
        }
        return results;
    }

    private MisclassificationEvent misclassification(Item item, LoadedModel model, List<Attribution> forPredicted, List<Attribution> forTrue) {
        PredictionEvent e = item.request().event();
        double[] p = e.prediction().probabilities();
        if (p == null) {
            float[] f = Classifier.probabilities(model, List.of(item.input())).get(0);
            p = new double[f.length];
            for (int c = 0; c < f.length; c++) {
                p[c] = f[c];
            }
        }
        int truth = item.request().trueClass();
        int rank = 1;
        for (double v : p) {
            if (v > p[truth]) {
                rank++;
            }
        }
        List<ClassRef> top5 = new ArrayList<>();
        Integer[] order = new Integer[p.length];
        for (int c = 0; c < p.length; c++) {
            order[c] = c;
        }
        double[] probs = p;
        Arrays.sort(order, (a, b) -> Double.compare(probs[b], probs[a]));
        for (int k = 0; k < Math.min(5, order.length); k++) {
            top5.add(new ClassRef(order[k], model.card().label(order[k]), p[order[k]]));
        }
        List<MethodResult> predictedResults = results(item.input(), forPredicted);
        List<MethodResult> trueResults = results(item.input(), forTrue);
        List<MethodResult> all = new ArrayList<>(predictedResults);
        all.addAll(trueResults);
        int predicted = e.prediction().classIndex();
        String modelId = model.card().id();
        return new MisclassificationEvent(
                "mis-" + Digests.explanationId(e.id() + "|true=" + truth, e.model(), all).substring(5),
                e.id(), e.model(), clock.instant(), e.timestamp(), item.request().labelTimestamp(),
                new ClassRef(predicted, model.card().label(predicted), p[predicted]),
                new MisclassificationEvent.TrueClass(truth, model.card().label(truth), p[truth], rank),
                top5, Misclassifications.diagnose(p[truth], rank), privacy.results(modelId, predictedResults), privacy.results(modelId, trueResults),
                focus(model, predictedResults), focus(model, trueResults), DjlRuntime.info(model.device()), Digests.mapDigest(all));
    }

    private ExplanationEvent event(Item item, LoadedModel model, List<Attribution> attributions, FaithfulnessCurves.Scored scored) {
        PredictionEvent e = item.request().event();
        List<MethodResult> results = results(item.input(), attributions);
        if (scored != null) {
            for (int i = 0; i < results.size(); i++) {
                Map<Score, Faithfulness.Curve> c = scored.curves().get(i);
                results.set(i, results.get(i).scored(new Faithfulness(c.get(Score.DELETION), c.get(Score.INSERTION), scored.elapsedMs())));
            }
        }
        List<Agreement> agreement = AttentionGradientAgreement.of(model, item.input(), attributions,
                AttentionGradientAgreement.resolve(model, scores.agreement(model.card()).parameters()));
        int predicted = e.prediction().classIndex();
        ClassRef classRef = new ClassRef(predicted, model.card().label(predicted), e.prediction().probabilityOf(predicted));
        var d = item.request().decision();
        // The version that explained: the one that served the prediction, or another in a what-if replay.
        ModelRef explainedBy = model.card().ref();
        return new ExplanationEvent(
                Digests.explanationId(e.id(), explainedBy, results),
                e.id(),
                explainedBy,
                clock.instant(),
                e.timestamp(),
                new Sampling(d.reason().id(), d.reasons().isEmpty() ? List.of(d.reason().id())
                        : d.reasons().stream().map(SamplingReason::id).toList(), d.top1(), d.margin()),
                classRef,
                classRef,
                privacy.results(model.card().id(), results),
                focus(model, results),
                agreement.isEmpty() ? null : agreement,
                privacy.attributes(model.card().id(), e.attributes()),
                DjlRuntime.info(model.device()),
                Digests.mapDigest(results));
    }
}

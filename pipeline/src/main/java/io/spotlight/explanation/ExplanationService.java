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
import io.spotlight.events.InvalidInputException;
import io.spotlight.events.Json;
import io.spotlight.events.MisclassificationEvent;
import io.spotlight.events.ModelRef;
import io.spotlight.events.PredictionEvent;
import io.spotlight.focus.FocusCalculator;
import io.spotlight.focus.FocusSettings;
import io.spotlight.model.Classifier;
import io.spotlight.model.DjlRuntime;
import io.spotlight.model.InputDecoder;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelInput;
import io.spotlight.model.ModelRegistry;
import io.spotlight.sampling.SamplingReason;
import io.spotlight.validation.PredictionValidator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
// Not final: tests stand a service that fails in unforeseen ways in its place.
public class ExplanationService {

    private static final Logger log = LoggerFactory.getLogger(ExplanationService.class);

    private final ModelRegistry registry;
    private final ExplanationPlan plan;
    private final Explainer explainer;
    private final Clock clock;
    private final List<String> focusPreference;
    private final Map<ModelRef, FocusSettings> focus = new ConcurrentHashMap<>();
    private final Map<ModelRef, Optional<String>> driftMethods = new ConcurrentHashMap<>();
    private final PrivacyPolicy privacy;
    private final InputDecoder inputs;
    private final int maxEventBytes;
    private final ScorePlan scores;
    private final FaithfulnessCurves curves = new FaithfulnessCurves();

    /** Longer attribute values are cut in explanations: they are carried for context, not as payload. */
    static final int MAX_ATTRIBUTE_CHARS = 1024;

    /**
     * @param focusPreference whose map the focus statistics describe: the first of these an explanation has
     * @param privacy what of a prediction the published events may carry
     * @param maxEventBytes the largest event that fits in one record: image maps are coarsened until an event does
     * @param scores which explanations are scored, with what parameters
     */
    public ExplanationService(ModelRegistry registry, ExplanationPlan plan, Explainer explainer, Clock clock, List<String> focusPreference,
                              PrivacyPolicy privacy, InputDecoder inputs, int maxEventBytes, ScorePlan scores) {
        this.registry = registry;
        this.plan = plan;
        this.explainer = explainer;
        this.clock = clock;
        this.focusPreference = List.copyOf(focusPreference);
        this.privacy = privacy;
        this.inputs = inputs;
        this.maxEventBytes = maxEventBytes;
        this.scores = scores;
    }

    public ExplanationPlan plan() {
        return plan;
    }

    /** Which explanations are scored, with what parameters. */
    public ScorePlan scores() {
        return scores;
    }

    private record Group(LoadedModel model, List<MethodCall> calls) {}

    /** A request, its decoded input, and its subjects: one target, or the predicted and the true class. */
    private record Item(int index, ExplainRequest request, ModelInput input, List<Subject> subjects) {}

    /** The service a configuration describes (its plan, its focus.methods preference, its privacy settings, its scores), for events of at most maxEventBytes. */
    public static ExplanationService of(SpotlightConfig config, ModelRegistry registry, Clock clock, int maxEventBytes) {
        return new ExplanationService(registry, ExplanationPlan.from(config), new Explainer(), clock,
                List.of(config.get("focus.methods").split("\\s*,\\s*")), PrivacyPolicy.of(config), PredictionValidator.inputs(config), maxEventBytes,
                ScorePlan.from(config));
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
            ModelInput input = inputs.decode(e.input(), model);
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

    /**
     * Explains a group together; if that fails, each record alone. A record that fails while
     * others of its group succeed is at fault itself and fails for good; when none succeeds (or it
     * was alone) the engine may be (a device out of memory, a libtorch error), so the failure is
     * retriable rather than a dead letter for a good record.
     */
    private void explainGroup(Group group, List<Item> items, Outcome[] out) {
        try {
            explainTogether(group, items, out);
            return;
        } catch (RuntimeException e) {
            if (items.size() == 1) {
                Item item = items.get(0);
                log.warn("explaining {} with {} failed: {}", item.request().event().id(), group.calls(), e.toString());
                out[item.index()] = new Outcome.Failed(item.request(), DeadLetter.Reason.EXPLAIN_FAILED, String.valueOf(e), true);
                return;
            }
            log.warn("a batch of {} records of {} failed ({}); explaining them one by one", items.size(), group.model().card().ref(), e.toString());
        }
        Map<Item, RuntimeException> failures = new LinkedHashMap<>();
        for (Item item : items) {
            try {
                explainTogether(group, List.of(item), out);
            } catch (RuntimeException e) {
                log.warn("explaining {} with {} failed: {}", item.request().event().id(), group.calls(), e.toString());
                failures.put(item, e);
            }
        }
        boolean someExplained = failures.size() < items.size();
        failures.forEach((item, e) -> out[item.index()] = new Outcome.Failed(item.request(), DeadLetter.Reason.EXPLAIN_FAILED,
                String.valueOf(e), !someExplained));
    }

    private void explainTogether(Group group, List<Item> items, Outcome[] out) {
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
    }

    /**
     * Curves for the explanations (not misclassification analyses) of the records in the scored
     * share, all in one run, by item index. Scoring judges an explanation that is already made: if
     * it fails, the explanations are published without curves rather than lost.
     */
    private Map<Integer, FaithfulnessCurves.Scored> score(LoadedModel model, List<Item> items, List<List<Attribution>> results) {
        Map<Integer, FaithfulnessCurves.Scored> out = new HashMap<>();
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
        int predicted = e.prediction().classIndex();
        double[] probabilities = p;
        int trueRank = rank;
        return fitted(List.of(results(item.input(), forPredicted), results(item.input(), forTrue)), maps -> {
            List<MethodResult> all = new ArrayList<>(maps.get(0));
            all.addAll(maps.get(1));
            return new MisclassificationEvent(
                    "mis-" + Digests.explanationId(e.id() + "|true=" + truth, e.model(), all).substring(5),
                    e.id(), e.model(), clock.instant(), e.timestamp(), item.request().labelTimestamp(),
                    new ClassRef(predicted, model.card().label(predicted), probabilities[predicted]),
                    new MisclassificationEvent.TrueClass(truth, model.card().label(truth), probabilities[truth], trueRank),
                    top5, Misclassifications.diagnose(probabilities[truth], trueRank),
                    privacy.results(model.card().id(), maps.get(0)), privacy.results(model.card().id(), maps.get(1)),
                    focus(model, maps.get(0)), focus(model, maps.get(1)), DjlRuntime.info(model.device()), Digests.mapDigest(all));
        });
    }

    /**
     * The event built from its maps at full resolution or, when it would not fit in one record, at
     * the finest resolution that fits. One that still does not (nothing left to coarsen) is refused
     * when it is written, and dead-lettered.
     */
    private <E> E fitted(List<List<MethodResult>> maps, Function<List<List<MethodResult>>, E> build) {
        E event = build.apply(maps);
        while (Json.bytes(event).length > maxEventBytes) {
            List<List<MethodResult>> coarser = maps.stream().map(Resolution::halved).toList();
            if (coarser.equals(maps)) {
                return event;
            }
            maps = coarser;
            event = build.apply(maps);
        }
        return event;
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
        Map<String, Object> attributes = cut(privacy.attributes(model.card().id(), e.attributes()));
        return fitted(List.of(results), maps -> new ExplanationEvent(
                Digests.explanationId(e.id(), explainedBy, maps.get(0)),
                e.id(),
                explainedBy,
                clock.instant(),
                e.timestamp(),
                new Sampling(d.reason().id(), d.reasons().isEmpty() ? List.of(d.reason().id())
                        : d.reasons().stream().map(SamplingReason::id).toList(), d.top1(), d.margin()),
                classRef,
                classRef,
                privacy.results(model.card().id(), maps.get(0)),
                focus(model, maps.get(0)),
                agreement.isEmpty() ? null : agreement,
                attributes,
                DjlRuntime.info(model.device()),
                Digests.mapDigest(maps.get(0))));
    }

    /** The prediction's attributes with long text values cut. */
    private static Map<String, Object> cut(Map<String, Object> attributes) {
        if (attributes == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        attributes.forEach((k, v) -> out.put(k, v instanceof String text && text.length() > MAX_ATTRIBUTE_CHARS
                ? text.substring(0, MAX_ATTRIBUTE_CHARS) + "..." : v));
        return out;
    }
}

package io.spotlight.explanation;

import io.spotlight.attribution.Attribution;
import io.spotlight.attribution.Explainer;
import io.spotlight.attribution.MethodCall;
import io.spotlight.attribution.Subject;
import io.spotlight.events.DeadLetter;
import io.spotlight.events.EncodedMap;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.ExplanationEvent.ClassRef;
import io.spotlight.events.ExplanationEvent.MethodResult;
import io.spotlight.events.ExplanationEvent.Sampling;
import io.spotlight.events.PredictionEvent;
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

    public ExplanationService(ModelRegistry registry, ExplanationPlan plan, Explainer explainer, Clock clock) {
        this.registry = registry;
        this.plan = plan;
        this.explainer = explainer;
        this.clock = clock;
    }

    private record Group(LoadedModel model, List<MethodCall> calls) {}

    private record Item(int index, ExplainRequest request, Subject subject) {}

    /** One outcome per request, in request order. */
    public List<Outcome> explain(List<ExplainRequest> requests) {
        Outcome[] out = new Outcome[requests.size()];
        Map<Group, List<Item>> groups = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            ExplainRequest r = requests.get(i);
            PredictionEvent e = r.event();
            LoadedModel model = registry.find(e.model()).orElse(null);
            if (model == null) {
                out[i] = new Outcome.Failed(r, DeadLetter.Reason.UNKNOWN_MODEL, "model " + e.model() + " is not registered here");
                continue;
            }
            try {
                ModelInput input = InputDecoder.decode(e.input(), model);
                Subject subject = new Subject(input, e.prediction().classIndex(), Digests.recordSeed(e.id(), e.model()));
                List<MethodCall> calls = plan.calls(model.card(), reasonOf(r));
                groups.computeIfAbsent(new Group(model, calls), g -> new ArrayList<>()).add(new Item(i, r, subject));
            } catch (InvalidInputException ex) {
                out[i] = new Outcome.Failed(r, ex.reason(), ex.getMessage());
            } catch (RuntimeException ex) {
                out[i] = new Outcome.Failed(r, DeadLetter.Reason.EXPLAIN_FAILED, String.valueOf(ex.getMessage()));
            }
        }
        groups.forEach((group, items) -> explainGroup(group, items, out));
        return Arrays.asList(out);
    }

    private void explainGroup(Group group, List<Item> items, Outcome[] out) {
        try {
            List<List<Attribution>> results = explainer.explain(group.model(), items.stream().map(Item::subject).toList(), group.calls());
            for (int k = 0; k < items.size(); k++) {
                Item item = items.get(k);
                out[item.index()] = new Outcome.Explained(item.request(), event(item, group.model(), results.get(k)));
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

    private static SamplingReason reasonOf(ExplainRequest r) {
        SamplingReason reason = r.decision().reason();
        return reason == null ? SamplingReason.REQUESTED : reason;
    }

    private ExplanationEvent event(Item item, LoadedModel model, List<Attribution> attributions) {
        PredictionEvent e = item.request().event();
        int length = item.subject().input() instanceof ModelInput.Tokens t ? t.encoding().length() : -1;
        List<MethodResult> results = new ArrayList<>(attributions.size());
        for (Attribution a : attributions) {
            float[] map = a.map().values();
            int[] shape = a.map().intShape();
            List<String> tokens = a.tokens();
            if (length > 0 && shape.length == 1) {
                // Text maps lose their padding: one value per real token.
                map = Arrays.copyOf(map, length);
                shape = new int[] {length};
                tokens = tokens.subList(0, length);
            }
            results.add(new MethodResult(a.method().id(), a.parameters(), EncodedMap.of(map, shape), tokens, a.summary(), a.elapsedMs()));
        }
        int predicted = e.prediction().classIndex();
        ClassRef classRef = new ClassRef(predicted, model.card().label(predicted), e.prediction().probabilityOf(predicted));
        var d = item.request().decision();
        return new ExplanationEvent(
                Digests.explanationId(e.id(), e.model(), results),
                e.id(),
                e.model(),
                clock.instant(),
                e.timestamp(),
                new Sampling(reasonOf(item.request()).id(), d.reasons().isEmpty() ? List.of(reasonOf(item.request()).id())
                        : d.reasons().stream().map(SamplingReason::id).toList(), d.top1(), d.margin()),
                classRef,
                classRef,
                results,
                null,
                e.attributes(),
                DjlRuntime.info(model.device()),
                Digests.mapDigest(results));
    }
}

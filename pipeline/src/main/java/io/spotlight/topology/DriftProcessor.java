package io.spotlight.topology;

import io.spotlight.events.AlertEvent;
import io.spotlight.events.DriftEvent;
import io.spotlight.events.DriftFigures;
import io.spotlight.events.FocusReference;
import io.spotlight.events.ModelRef;
import io.spotlight.events.ReferenceFile;
import io.spotlight.focus.AlertRule;
import io.spotlight.focus.AlertState;
import io.spotlight.focus.DriftSettings;
import io.spotlight.focus.FocusWindow;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.model.ModelCard;
import io.spotlight.model.ModelRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * drift: each closed window of focus statistics is compared with its reference (pinned, or learned
 * from the first windows and kept in a store), published, and — for the all-classes windows —
 * run through the model's alert rules, whose state is kept in a store too.
 */
final class DriftProcessor implements Processor<Windowed<String>, FocusWindow, String, Object> {

    static final String LEARNING_STORE = "drift-learning";
    static final String ALERT_STORE = "alert-state";
    private static final Logger log = LoggerFactory.getLogger(DriftProcessor.class);

    /** The windows seen so far for a key whose reference is being learned, or the learned reference. */
    record Learning(List<FocusWindow> windows, FocusReference reference) {}

    private final DriftSettings settings;
    private final ModelRegistry registry;
    private final Map<String, ReferenceFile> pinned;
    private final SpotlightMetrics metrics;
    private final Clock clock;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, Learning> learning;
    private KeyValueStore<String, AlertState> alerts;

    DriftProcessor(DriftSettings settings, ModelRegistry registry, SpotlightMetrics metrics, Clock clock) {
        this.settings = settings;
        this.registry = registry;
        this.pinned = registry.references();
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.learning = context.getStateStore(LEARNING_STORE);
        this.alerts = context.getStateStore(ALERT_STORE);
    }

    /** model | version | class. */
    static String key(ModelRef model, String cls) {
        return model.id() + "|" + model.version() + "|" + cls;
    }

    @Override
    public void process(Record<Windowed<String>, FocusWindow> record) {
        String[] k = record.key().key().split("\\|", 3);
        ModelRef model = new ModelRef(k[0], k[1]);
        String cls = k[2];
        FocusWindow window = record.value();
        Instant start = record.key().window().startTime();
        Instant end = record.key().window().endTime();
        ReferenceFile file = pinned.get(model.id());
        FocusReference reference = null;
        DriftEvent.Reference source;
        if (file != null && file.method().equals(window.method())) {
            reference = file.forClass(cls);
            source = new DriftEvent.Reference("pinned", reference.count(), file.source());
        } else {
            Learning l = learning.get(record.key().key());
            if (l != null && l.reference() != null) {
                reference = l.reference();
                source = new DriftEvent.Reference("learned", reference.count(), "first " + settings.referenceWindows() + " windows");
            } else {
                List<FocusWindow> seen = new ArrayList<>(l == null ? List.of() : l.windows());
                seen.add(window);
                boolean done = seen.size() >= settings.referenceWindows();
                learning.put(record.key().key(), done ? new Learning(List.of(), FocusWindow.reference(seen)) : new Learning(seen, null));
                source = new DriftEvent.Reference("learning", seen.stream().mapToLong(FocusWindow::count).sum(),
                        seen.size() + " of " + settings.referenceWindows() + " windows");
            }
        }
        DriftFigures figures = reference == null ? null : window.compareWith(reference);
        long ts = end.toEpochMilli();
        context.forward(new Record<>(key(model, cls), new DriftEvent(model, cls, start, end, window.method(), window.count(), source, figures,
                window.meanGridValues(), window.gridShape(), clock.instant()), ts));
        if (figures == null) {
            return;
        }
        metrics.drift(model.id(), model.version(), cls, figures);
        if (window.isText() && cls.equals(ReferenceFile.ALL)) {
            metrics.topTokens(model.id(), model.version(), window.topTokenMeans(10));
        }
        // Too few explanations make a noisy mean: such a window neither advances nor resolves an alert.
        if (cls.equals(ReferenceFile.ALL) && window.count() >= settings.minExplanations()) {
            evaluate(model, window, figures, start, end);
        }
    }

    private void evaluate(ModelRef model, FocusWindow window, DriftFigures figures, Instant start, Instant end) {
        ModelCard card = registry.find(model).map(m -> m.card()).orElse(null);
        if (card == null) {
            return;
        }
        for (AlertRule rule : settings.rules(card)) {
            String key = model + "|" + rule.name();
            AlertState state = alerts.get(key);
            AlertState.Step step = (state == null ? AlertState.CLEAR : state).after(rule, figures, end.toEpochMilli());
            alerts.put(key, step.next());
            if (step.change() == null) {
                continue;
            }
            boolean firing = step.change().equals("firing");
            double value = rule.value(figures);
            String message = String.format(java.util.Locale.ROOT, "%s %s: %s %s %.3f (threshold %.3f) %s",
                    model, rule.name(), rule.figure().id(), firing ? "at" : "back to", value, rule.threshold(),
                    firing ? "for " + step.next().consecutive() + " windows in a row" : "");
            long since = firing ? step.next().sinceMillis() : (state == null ? end.toEpochMilli() : state.sinceMillis());
            AlertEvent alert = new AlertEvent(key + "|" + since, rule.name(), step.change(), rule.severity(), model, rule.figure().id(), value,
                    rule.threshold(), firing ? step.next().consecutive() : 0, Instant.ofEpochMilli(since), start, end, message.trim(),
                    figures, window.examples().stream().map(FocusWindow.Example::predictionId).toList(), clock.instant());
            metrics.alert(rule.name(), model.id(), model.version(), rule.severity(), firing);
            log.warn("alert {}: {}", step.change(), alert.message());
            context.forward(new Record<>(model.toString(), alert, end.toEpochMilli()));
        }
    }
}

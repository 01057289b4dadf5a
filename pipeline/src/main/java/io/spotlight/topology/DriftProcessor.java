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
import io.spotlight.focus.NullCache;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.model.ModelCard;
import io.spotlight.model.ModelRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * drift: each closed window of focus statistics is compared with its reference, published, and,
 * for the all-classes windows, run through the model's alert rules (state kept in a store). The
 * reference is the model's pinned one; else the one learned from the first windows of the model's
 * champion (the first version to learn one), so a new version is judged from its first window;
 * a version's own learned reference judges it only when it is the champion. Every version learns
 * its own reference (a store), whether or not it judges. Windows of every version of a model meet
 * in this task: the topology partitions them by model id.
 */
final class DriftProcessor implements Processor<Windowed<String>, FocusWindow, String, Object> {

    static final String LEARNING_STORE = "drift-learning";
    static final String CHAMPION_STORE = "drift-champion";
    static final String ALERT_STORE = "alert-state";
    private static final Logger log = LoggerFactory.getLogger(DriftProcessor.class);
    private static final int NULL_CACHE = 256;

    /** The windows seen so far for a key whose reference is being learned, or the learned reference. */
    record Learning(List<FocusWindow> windows, FocusReference reference) {}

    /** A reference and how the drift event describes it. */
    private record Judge(FocusReference reference, DriftEvent.Reference description) {}

    private final DriftSettings settings;
    private final ModelRegistry registry;
    private final Map<String, ReferenceFile> pinned;
    private final SpotlightMetrics metrics;
    private final Clock clock;
    private final NullCache nulls;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, Learning> learning;
    private KeyValueStore<String, String> champions;
    private KeyValueStore<String, AlertState> alerts;

    DriftProcessor(DriftSettings settings, ModelRegistry registry, SpotlightMetrics metrics, Clock clock) {
        this.settings = settings;
        this.registry = registry;
        this.pinned = registry.references();
        this.metrics = metrics;
        this.clock = clock;
        this.nulls = new NullCache(settings.resamples(), NULL_CACHE);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.learning = context.getStateStore(LEARNING_STORE);
        this.champions = context.getStateStore(CHAMPION_STORE);
        this.alerts = context.getStateStore(ALERT_STORE);
    }

    /** model | version | class. */
    static String key(ModelRef model, String cls) {
        return model.id() + "|" + model.version() + "|" + cls;
    }

    /** The model id of a {@link #key}. */
    static String modelOf(String key) {
        return key.substring(0, key.indexOf('|'));
    }

    @Override
    public void process(Record<Windowed<String>, FocusWindow> record) {
        String[] k = record.key().key().split("\\|", 3);
        ModelRef model = new ModelRef(k[0], k[1]);
        String cls = k[2];
        FocusWindow window = record.value();
        Instant start = record.key().window().startTime();
        Instant end = record.key().window().endTime();
        Learning own = learning.get(record.key().key());
        Judge judge = judge(model, cls, window, own);
        learn(model, cls, window, own);

        DriftFigures figures = null;
        boolean all = cls.equals(ReferenceFile.ALL);
        if (judge.reference() != null) {
            figures = window.compareWith(judge.reference());
            // Limits where the rules judge: the all-classes windows (a per-class null would cost as much again per class).
            if (all && judge.reference().hasSample()) {
                double q = settings.quantile(model.id());
                figures = figures.withLimits(q, nulls.of(judge.reference(), (int) window.count()).limits(q));
            }
        }
        long ts = end.toEpochMilli();
        context.forward(new Record<>(key(model, cls), new DriftEvent(model, cls, start, end, window.method(), window.count(), judge.description(),
                figures, window.meanGridValues(), window.gridShape(), clock.instant()), ts));
        if (figures == null) {
            return;
        }
        metrics.drift(model.id(), model.version(), cls, figures);
        if (!all) {
            return;
        }
        if (window.isText()) {
            metrics.topTokens(model.id(), model.version(), window.topTokenMeans(10));
        }
        metrics.reference(model.id(), model.version(), judge.description().source(), judge.description().id(), judge.description().version());
        evaluate(model, window, figures, judge.description(), start, end);
    }

    /** The reference that judges this window: pinned, the champion's, or the version's own (a model with no history). */
    private Judge judge(ModelRef model, String cls, FocusWindow window, Learning own) {
        ReferenceFile file = pinned.get(model.id());
        if (file != null && file.method().equals(window.method())) {
            FocusReference r = file.forClass(cls);
            return new Judge(r, new DriftEvent.Reference("pinned", r.id(), null, r.count(), file.source()));
        }
        String champion = champions.get(model.id());
        if (champion != null && !champion.equals(model.version())) {
            FocusReference r = learned(model.id(), champion, cls);
            if (r != null && r.method().equals(window.method())) {
                return new Judge(r, new DriftEvent.Reference("champion", r.id(), champion, r.count(),
                        "first " + settings.referenceWindows() + " windows of version " + champion));
            }
        }
        if (own != null && own.reference() != null) {
            return new Judge(own.reference(), new DriftEvent.Reference("learned", own.reference().id(), model.version(), own.reference().count(),
                    "first " + settings.referenceWindows() + " windows of this version"));
        }
        List<FocusWindow> seen = own == null ? List.of() : own.windows();
        return new Judge(null, new DriftEvent.Reference("learning", null, model.version(),
                seen.stream().mapToLong(FocusWindow::count).sum() + window.count(),
                (seen.size() + 1) + " of " + settings.referenceWindows() + " windows"));
    }

    /** The champion's learned reference for a class, or its all-classes one when the class has none yet. */
    private FocusReference learned(String model, String version, String cls) {
        Learning l = learning.get(model + "|" + version + "|" + cls);
        if (l == null || l.reference() == null) {
            l = learning.get(model + "|" + version + "|" + ReferenceFile.ALL);
        }
        return l == null ? null : l.reference();
    }

    /** Every version learns its own reference from its first windows; the first to finish its all-classes one becomes the champion. */
    private void learn(ModelRef model, String cls, FocusWindow window, Learning own) {
        if (own != null && own.reference() != null) {
            return;
        }
        List<FocusWindow> seen = new ArrayList<>(own == null ? List.of() : own.windows());
        seen.add(window);
        String key = key(model, cls);
        if (seen.size() < settings.referenceWindows()) {
            learning.put(key, new Learning(seen, null));
            return;
        }
        // Only the all-classes reference needs a sample: limits are drawn for the windows the rules judge.
        FocusReference reference = FocusWindow.reference(seen, cls.equals(ReferenceFile.ALL) ? settings.referenceSample() : 0);
        learning.put(key, new Learning(List.of(), reference));
        if (cls.equals(ReferenceFile.ALL) && champions.get(model.id()) == null) {
            champions.put(model.id(), model.version());
            log.info("{}: reference {} learned from {} explanations; without a pinned reference, version {} is the champion that judges later versions",
                    model, reference.id(), reference.count(), model.version());
        }
    }

    /**
     * Exports each rule's threshold for the window and, when the window holds enough explanations, advances the rule:
     * too few make a noisy mean, and such a window neither advances nor resolves an alert.
     */
    private void evaluate(ModelRef model, FocusWindow window, DriftFigures figures, DriftEvent.Reference reference, Instant start, Instant end) {
        ModelCard card = registry.find(model).map(m -> m.card()).orElse(null);
        if (card == null) {
            return;
        }
        for (AlertRule rule : settings.rules(card)) {
            Double value = rule.value(figures);
            AlertRule.Threshold threshold = rule.threshold(figures);
            if (value == null || threshold == null) {
                continue;
            }
            metrics.threshold(rule.name(), rule.statistic().id(), model.id(), model.version(), threshold.value());
            if (window.count() < settings.minExplanations()) {
                continue;
            }
            String key = model + "|" + rule.name();
            AlertState state = alerts.get(key);
            AlertState.Step step = (state == null ? AlertState.CLEAR : state).after(value > threshold.value(), rule.windows(), end.toEpochMilli());
            alerts.put(key, step.next());
            if (step.change() == null) {
                continue;
            }
            boolean firing = step.change().equals("firing");
            String message = String.format(Locale.ROOT, "%s %s: %s %s %.3f (threshold %.3f, %s) %s",
                    model, rule.name(), rule.statistic().id(), firing ? "at" : "back to", value, threshold.value(),
                    threshold.source().equals("fixed") ? "fixed" : String.format(Locale.ROOT, "the null's %s quantile for %d explanations against %s reference %s",
                            percent(figures.quantile()), window.count(), reference.source(), reference.id()),
                    firing ? "for " + step.next().consecutive() + " windows in a row" : "");
            long since = firing ? step.next().sinceMillis() : (state == null ? end.toEpochMilli() : state.sinceMillis());
            AlertEvent alert = new AlertEvent(key + "|" + since, rule.name(), step.change(), rule.severity(), model, rule.statistic().id(), value,
                    threshold.value(), threshold.source(), reference, firing ? step.next().consecutive() : 0, Instant.ofEpochMilli(since), start, end,
                    message.trim(), figures, window.examples().stream().map(FocusWindow.Example::predictionId).toList(), clock.instant());
            metrics.alert(rule.name(), model.id(), model.version(), rule.severity(), firing);
            log.warn("alert {}: {}", step.change(), alert.message());
            context.forward(new Record<>(model.toString(), alert, end.toEpochMilli()));
        }
    }

    private static String percent(Double q) {
        return q == null ? "?" : String.format(Locale.ROOT, "%s %%", new BigDecimal(Double.toString(q * 100)).stripTrailingZeros().toPlainString());
    }
}

package io.spotlight.topology;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.events.AlertEvent;
import io.spotlight.events.DeadLetter;
import io.spotlight.events.DriftEvent;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Label;
import io.spotlight.events.MisclassificationEvent;
import io.spotlight.events.PredictionEvent;
import io.spotlight.events.ReferenceFile;
import io.spotlight.explanation.ExplainRequest;
import io.spotlight.explanation.ExplanationService;
import io.spotlight.focus.AlertState;
import io.spotlight.focus.DriftSettings;
import io.spotlight.focus.FocusWindow;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.model.ModelRegistry;
import io.spotlight.sampling.SamplingPolicy;
import io.spotlight.sampling.TokenBucket;
import io.spotlight.validation.PredictionValidator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The wiring, top to bottom, and nothing else:
 * <pre>
 * predictions -> validate -> sample -> [explain-requests] -> explain -> explanations
 *                   | bad                                       | failed
 *                   +------------------> spotlight-dlq <--------+
 * explanations -> focus windows (model, version, class | all) -> drift -> attention-drift
 *                                                                  +----> alerts
 * valid predictions (by id) join labels (by prediction id) -> mismatches -> [explain] -> misclassifications
 * </pre>
 */
public final class SpotlightTopology {

    /** The stages' domain objects; the topology only connects them. */
    public record Stages(PredictionValidator validator, SamplingPolicy sampling, double budgetPerSecond, double budgetBurst,
                         ExplanationService explainer, int batchSize, Duration linger, DriftSettings drift, Duration labelWindow,
                         ModelRegistry registry, SpotlightMetrics metrics, String application, Clock clock) {

        /** The stages a configuration describes. */
        public static Stages of(SpotlightConfig c, ModelRegistry registry, SpotlightMetrics metrics, Clock clock) {
            return new Stages(PredictionValidator.of(c, registry), SamplingPolicy.of(c), c.real("sampling.budget-per-second"),
                    c.real("sampling.budget-burst"), ExplanationService.of(c, registry, clock), c.integer("explain.batch-size"),
                    Duration.ofMillis(c.longValue("explain.linger-ms")), DriftSettings.of(c),
                    Duration.ofMillis(c.longValue("labels.join-window-ms")), registry, metrics, c.get("application.id"), clock);
        }
    }

    static final Serde<String> KEYS = Serdes.String();
    static final Serde<ExplainRequest> REQUESTS = JsonSerde.of(ExplainRequest.class);
    static final Serde<ExplanationEvent> EXPLANATIONS = JsonSerde.of(ExplanationEvent.class);
    static final Serde<DeadLetter> DEAD_LETTERS = JsonSerde.of(DeadLetter.class);
    static final Serde<FocusPoint> POINTS = JsonSerde.of(FocusPoint.class);
    static final Serde<PredictionEvent> PREDICTIONS = JsonSerde.of(PredictionEvent.class);
    static final Serde<Label> LABELS = JsonSerde.of(Label.class);
    static final Serde<FocusWindow> WINDOWS = JsonSerde.of(FocusWindow.class);

    private SpotlightTopology() {}

    public static Topology build(Topics topics, Role role, Stages s) {
        StreamsBuilder builder = new StreamsBuilder();
        DeadLetters deadLetters = new DeadLetters(s.application(), s.clock(), s.metrics());
        KStream<String, ExplainRequest> requests = null;

        if (role.gates()) {
            KStream<String, Routed<PredictionEvent>> validated = builder
                    .stream(topics.predictions(), Consumed.with(KEYS, Serdes.ByteArray()).withName("predictions"))
                    .processValues(() -> new ValidateProcessor(s.validator(), deadLetters, s.metrics()), Named.as("validate"));
            Map<String, KStream<String, Routed<PredictionEvent>>> checked = validated.split(Named.as("checked-"))
                    .branch((k, v) -> v.ok(), Branched.as("valid"))
                    .defaultBranch(Branched.as("invalid"));
            toDeadLetters(checked.get("checked-invalid"), topics, "validate-dlq");

            builder.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(SampleProcessor.BUDGET_STORE), KEYS, JsonSerde.of(TokenBucket.class)));
            KStream<String, PredictionEvent> valid = checked.get("checked-valid").mapValues(Routed::value, Named.as("valid-events"));
            requests = valid
                    .process(() -> new SampleProcessor(s.sampling(), s.budgetPerSecond(), s.budgetBurst(), s.metrics()),
                            Named.as("sample"), SampleProcessor.BUDGET_STORE)
                    .merge(misclassifications(builder, topics, valid, deadLetters, s), Named.as("explain-requests-merged"));
            if (role == Role.GATE) {
                requests.to(topics.explainRequests(), Produced.with(KEYS, REQUESTS).withName("explain-requests"));
            }
            drift(builder, topics, s);
        }

        if (role.explains()) {
            if (role == Role.EXPLAIN) {
                requests = builder.stream(topics.explainRequests(), Consumed.with(KEYS, REQUESTS).withName("explain-requests"));
            }
            builder.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(ExplainProcessor.BUFFER_STORE), KEYS, JsonSerde.of(ExplainProcessor.Buffered.class)));
            Map<String, KStream<String, Object>> explained = requests
                    .process(() -> new ExplainProcessor(s.explainer(), s.batchSize(), s.linger(), s.metrics(), deadLetters, s.clock()),
                            Named.as("explain"), ExplainProcessor.BUFFER_STORE)
                    .split(Named.as("explained-"))
                    .branch((k, v) -> v instanceof ExplanationEvent, Branched.as("explanation"))
                    .branch((k, v) -> v instanceof MisclassificationEvent, Branched.as("misclassification"))
                    .defaultBranch(Branched.as("failed"));
            explained.get("explained-explanation")
                    .mapValues(v -> (ExplanationEvent) v, Named.as("explanation-events"))
                    .to(topics.explanations(), Produced.with(KEYS, EXPLANATIONS).withName("explanations"));
            explained.get("explained-misclassification")
                    .mapValues(v -> (MisclassificationEvent) v, Named.as("misclassification-events"))
                    .to(topics.misclassifications(), Produced.with(KEYS, JsonSerde.of(MisclassificationEvent.class)).withName("misclassifications"));
            explained.get("explained-failed")
                    .mapValues(v -> (DeadLetter) v, Named.as("explain-letters"))
                    .to(topics.deadLetter(), Produced.with(KEYS, DEAD_LETTERS).withName("explain-dlq"));
        }
        return builder.build();
    }

    /** Valid predictions joined with their labels (by prediction id, within the label window); mismatches become requests. */
    private static KStream<String, ExplainRequest> misclassifications(StreamsBuilder builder, Topics topics, KStream<String, PredictionEvent> valid,
                                                                     DeadLetters deadLetters, Stages s) {
        Map<String, KStream<String, Routed<Label>>> labels = builder
                .stream(topics.labels(), Consumed.with(KEYS, Serdes.ByteArray()).withName("labels"))
                .processValues(() -> new LabelProcessor(deadLetters, s.metrics()), Named.as("validate-labels"))
                .split(Named.as("labels-"))
                .branch((k, v) -> v.ok(), Branched.as("valid"))
                .defaultBranch(Branched.as("invalid"));
        toDeadLetters(labels.get("labels-invalid"), topics, "labels-dlq");
        KStream<String, Label> byPrediction = labels.get("labels-valid")
                .mapValues(Routed::value, Named.as("label-values"))
                .selectKey((k, l) -> l.predictionId(), Named.as("labels-by-prediction"));
        return valid
                .selectKey((k, e) -> e.id(), Named.as("predictions-by-id"))
                .join(byPrediction, (event, label) -> label.trueClass() == event.prediction().classIndex()
                                ? null : ExplainRequest.misclassified(event, label),
                        JoinWindows.ofTimeDifferenceAndGrace(s.labelWindow(), s.labelWindow()),
                        StreamJoined.with(KEYS, PREDICTIONS, LABELS).withName("prediction-label").withStoreName("prediction-label-join"))
                .filter((k, r) -> r != null, Named.as("mismatches"));
    }

    /** Closed windows of focus statistics per model version and class (and all classes), compared and alerted on. */
    private static void drift(StreamsBuilder builder, Topics topics, Stages s) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DriftProcessor.LEARNING_STORE),
                KEYS, JsonSerde.of(DriftProcessor.Learning.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DriftProcessor.CHAMPION_STORE),
                KEYS, Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DriftProcessor.ALERT_STORE),
                KEYS, JsonSerde.of(AlertState.class)));
        Map<String, KStream<String, Object>> out = builder
                .stream(topics.explanations(), Consumed.with(KEYS, EXPLANATIONS).withName("explanations-for-drift"))
                .filter((k, e) -> e != null && s.explainer().feedsDrift(e), Named.as("with-focus"))
                .flatMap((k, e) -> {
                    FocusPoint point = new FocusPoint(e.focus(), e.predictionId());
                    return List.of(KeyValue.pair(DriftProcessor.key(e.model(), Integer.toString(e.predicted().classIndex())), point),
                            KeyValue.pair(DriftProcessor.key(e.model(), ReferenceFile.ALL), point));
                }, Named.as("by-model-and-class"))
                // Every version of a model in one task: a new version is judged with the reference its champion learned.
                .repartition(Repartitioned.<String, FocusPoint>with(KEYS, POINTS).withName("focus-by-model")
                        .withStreamPartitioner(new ByModel()))
                .groupByKey(Grouped.with("focus-by-model-class", KEYS, POINTS))
                .windowedBy(TimeWindows.ofSizeAndGrace(s.drift().window(), s.drift().grace()))
                .aggregate(FocusWindow::empty, (k, p, w) -> w.add(p.stats(), p.predictionId(), s.drift().windowSample()), Named.as("focus-windows"),
                        Materialized.<String, FocusWindow, WindowStore<Bytes, byte[]>>as("focus-windows").withKeySerde(KEYS).withValueSerde(WINDOWS))
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName("closed-windows"))
                .toStream(Named.as("closed-focus-windows"))
                .process(() -> new DriftProcessor(s.drift(), s.registry(), s.metrics(), s.clock()),
                        Named.as("drift"), DriftProcessor.LEARNING_STORE, DriftProcessor.CHAMPION_STORE, DriftProcessor.ALERT_STORE)
                .split(Named.as("drift-"))
                .branch((k, v) -> v instanceof DriftEvent, Branched.as("figures"))
                .defaultBranch(Branched.as("alerts"));
        out.get("drift-figures").mapValues(v -> (DriftEvent) v, Named.as("drift-events"))
                .to(topics.attentionDrift(), Produced.with(KEYS, JsonSerde.of(DriftEvent.class)).withName("attention-drift"));
        out.get("drift-alerts").mapValues(v -> (AlertEvent) v, Named.as("alert-events"))
                .to(topics.alerts(), Produced.with(KEYS, JsonSerde.of(AlertEvent.class)).withName("alerts"));
    }

    private static <T> void toDeadLetters(KStream<String, Routed<T>> stream, Topics topics, String name) {
        stream.mapValues(Routed::letter, Named.as(name + "-letters"))
                .to(topics.deadLetter(), Produced.with(KEYS, DEAD_LETTERS).withName(name));
    }
}

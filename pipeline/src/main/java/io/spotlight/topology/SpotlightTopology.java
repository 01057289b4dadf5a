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
import io.spotlight.oip.InferMessage;
import io.spotlight.validation.ModelNames;
import io.spotlight.validation.PredictionValidator;
import io.spotlight.validation.ServedPredictions;
import io.spotlight.validation.ServedRecord;
import io.spotlight.validation.SourceTopic;
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
 * predictions -> validate -----------------------------------------+
 * server requests, responses -> decode -> join by id -> assemble --+-> sample -> [explain-requests] -> explain -> explanations
 *                   | bad (any of these stages)                                                        | failed
 *                   +--------------------------------> spotlight-dlq <-------------------------------+
 * explanations -> focus windows (model, version, class | all) -> drift -> attention-drift
 *                                                                  +----> alerts
 * valid predictions (by id) join labels (by prediction id) -> mismatches -> [explain] -> misclassifications
 * </pre>
 */
public final class SpotlightTopology {

    /** The stages' domain objects; the topology only connects them. */
    public record Stages(PredictionValidator validator, SamplingPolicy sampling, double budgetPerSecond, double budgetBurst,
                         ExplanationService explainer, int batchSize, Duration linger, DriftSettings drift, Duration labelWindow,
                         ModelRegistry registry, SpotlightMetrics metrics, String application, Clock clock, Inputs inputs) {

        /** The stages a configuration describes. */
        public static Stages of(SpotlightConfig c, ModelRegistry registry, SpotlightMetrics metrics, Clock clock) {
            PredictionValidator validator = PredictionValidator.of(c, registry);
            return new Stages(validator, SamplingPolicy.of(c), c.real("sampling.budget-per-second"),
                    c.real("sampling.budget-burst"), ExplanationService.of(c, registry, clock), c.integer("explain.batch-size"),
                    Duration.ofMillis(c.longValue("explain.linger-ms")), DriftSettings.of(c),
                    Duration.ofMillis(c.longValue("labels.join-window-ms")), registry, metrics, c.get("application.id"), clock,
                    new Inputs(SourceTopic.from(c), c.integer("input.max-bytes"), Duration.ofMillis(c.longValue("input.join-window-ms")),
                            new ServedPredictions(ModelNames.of(c, registry), registry, validator)));
        }
    }

    /** The source topics in their formats, and what reads a model server's requests and responses. */
    public record Inputs(List<SourceTopic> sources, int maxBytes, Duration joinWindow, ServedPredictions predictions) {}

    static final Serde<String> KEYS = Serdes.String();
    static final Serde<ExplainRequest> REQUESTS = JsonSerde.of(ExplainRequest.class);
    static final Serde<ExplanationEvent> EXPLANATIONS = JsonSerde.of(ExplanationEvent.class);
    static final Serde<DeadLetter> DEAD_LETTERS = JsonSerde.of(DeadLetter.class);
    static final Serde<FocusPoint> POINTS = JsonSerde.of(FocusPoint.class);
    static final Serde<PredictionEvent> PREDICTIONS = JsonSerde.of(PredictionEvent.class);
    static final Serde<Label> LABELS = JsonSerde.of(Label.class);
    static final Serde<FocusWindow> WINDOWS = JsonSerde.of(FocusWindow.class);
    static final Serde<ServedRecord> SERVED = JsonSerde.of(ServedRecord.class);

    private SpotlightTopology() {}

    public static Topology build(Topics topics, Role role, Stages s) {
        StreamsBuilder builder = new StreamsBuilder();
        DeadLetters deadLetters = new DeadLetters(s.application(), s.clock(), s.metrics());
        KStream<String, ExplainRequest> requests = null;

        if (role.gates()) {
            KStream<String, Routed<PredictionEvent>> validated = inputs(builder, topics, deadLetters, s);
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

    /**
     * Every source topic in its format, as prediction events or dead letters: Spotlight's own events
     * are validated; a model server's requests and responses are decoded, paired by id within the
     * join window (either may come first) and assembled into events that pass the same checks.
     */
    private static KStream<String, Routed<PredictionEvent>> inputs(StreamsBuilder builder, Topics topics, DeadLetters deadLetters, Stages s) {
        KStream<String, Routed<PredictionEvent>> validated = null;
        KStream<String, Routed<ServedRecord>> decoded = null;
        for (SourceTopic source : s.inputs().sources()) {
            // The default source keeps the node names the topology had before formats existed.
            boolean main = source.topic().equals(topics.predictions()) && !source.format().joins();
            KStream<String, byte[]> records = builder.stream(source.topic(),
                    Consumed.with(KEYS, Serdes.ByteArray()).withName(main ? "predictions" : "source-" + source.topic()));
            if (source.format().joins()) {
                decoded = merged(decoded, records.processValues(() -> new DecodeProcessor(source, s.inputs().maxBytes(), deadLetters, s.metrics()),
                        Named.as("decode-" + source.topic())), "decoded-" + source.topic());
            } else {
                validated = merged(validated, records.processValues(() -> new ValidateProcessor(s.validator(), deadLetters, s.metrics()),
                        Named.as(main ? "validate" : "validate-" + source.topic())), "validated-" + source.topic());
            }
        }
        if (decoded == null) {
            return validated;
        }
        Map<String, KStream<String, Routed<ServedRecord>>> read = decoded.split(Named.as("decoded-"))
                .branch((k, v) -> v.ok(), Branched.as("read"))
                .defaultBranch(Branched.as("unread"));
        toDeadLetters(read.get("decoded-unread"), topics, "decode-dlq");
        Map<String, KStream<String, ServedRecord>> halves = read.get("decoded-read")
                .map((k, v) -> KeyValue.pair(v.value().message().id(), v.value()), Named.as("served-by-id"))
                .split(Named.as("served-"))
                .branch((id, r) -> r.message().role() == InferMessage.Role.REQUEST, Branched.as("requests"))
                .defaultBranch(Branched.as("responses"));
        Duration window = s.inputs().joinWindow();
        KStream<String, Routed<PredictionEvent>> assembled = halves.get("served-requests")
                .outerJoin(halves.get("served-responses"), AssembleProcessor.Pair::new, JoinWindows.ofTimeDifferenceAndGrace(window, window),
                        StreamJoined.with(KEYS, SERVED, SERVED).withName("request-response").withStoreName("request-response-join"))
                .processValues(() -> new AssembleProcessor(s.inputs().predictions(), window, deadLetters, s.metrics()), Named.as("assemble"));
        return merged(validated, assembled, "served-predictions");
    }

    private static <T> KStream<String, T> merged(KStream<String, T> a, KStream<String, T> b, String name) {
        return a == null ? b : a.merge(b, Named.as(name));
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

package io.spotlight.topology;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.containment.ContainErrors;
import io.spotlight.containment.DeadLetterHandler;
import io.spotlight.containment.DeadLetters;
import io.spotlight.containment.RecordLimits;
import io.spotlight.events.AlertEvent;
import io.spotlight.events.DeadLetter;
import io.spotlight.events.DriftEvent;
import io.spotlight.events.ExplanationEvent;
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
import io.spotlight.oip.InferMessage;
import io.spotlight.sampling.SamplingPolicy;
import io.spotlight.sampling.TokenBucket;
import io.spotlight.validation.ModelNames;
import io.spotlight.validation.PredictionValidator;
import io.spotlight.validation.ServedPredictions;
import io.spotlight.validation.ServedRecord;
import io.spotlight.validation.SourceTopic;
import io.spotlight.validation.TimeBounds;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
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
 * labels (by prediction id) left-join valid predictions (by id, without their inputs) -> mismatches -> [explain] -> misclassifications
 *                                                     no prediction within the window -> spotlight-dlq
 * </pre>
 * Whatever fails anywhere else, anticipated or not, reaches the dead-letter topic through Kafka
 * Streams' exception handlers ({@link #errorHandling}); every processor is wrapped so that an Error
 * does too ({@link ContainErrors}).
 */
public final class SpotlightTopology {

    /** The stages' domain objects; the topology only connects them. */
    public record Stages(PredictionValidator validator, TimeBounds time, Duration dedupWindow, SamplingPolicy sampling,
                         double budgetPerSecond, double budgetBurst, ExplanationService explainer, ExplainSettings explain,
                         PredictionLookup lookup, DriftSettings drift, Duration labelWindow, ModelRegistry registry,
                         SpotlightMetrics metrics, DeadLetters deadLetters, RecordLimits limits, Clock clock, Inputs inputs) {

        /** The stages a configuration describes, within what the output topics accept, explaining batches as large as {@code batchSize} says. */
        public static Stages of(SpotlightConfig c, ModelRegistry registry, SpotlightMetrics metrics, Clock clock, PredictionLookup lookup,
                                RecordLimits limits, TimeBounds time, BatchSize batchSize) {
            PredictionValidator validator = PredictionValidator.of(c, registry, limits.wholeOriginalBytes());
            return new Stages(validator, time, Duration.ofMillis(c.longValue("input.dedup-window-ms")),
                    SamplingPolicy.of(c), c.real("sampling.budget-per-second"), c.real("sampling.budget-burst"),
                    ExplanationService.of(c, registry, clock, limits.maxValueBytes(null)), ExplainSettings.of(c, batchSize), lookup, DriftSettings.of(c),
                    Duration.ofMillis(c.longValue("labels.join-window-ms")), registry, metrics,
                    new DeadLetters(c.get("application.id"), c.get("topics.dead-letter"), limits, clock, metrics), limits, clock,
                    new Inputs(SourceTopic.from(c), Duration.ofMillis(c.longValue("input.join-window-ms")),
                            new ServedPredictions(ModelNames.of(c, registry), registry, validator)));
        }

        /** The stages a configuration describes, where no broker was asked for its limits (tests). */
        public static Stages of(SpotlightConfig c, ModelRegistry registry, SpotlightMetrics metrics, Clock clock, PredictionLookup lookup) {
            return of(c, registry, metrics, clock, lookup, RecordLimits.of(c), TimeBounds.of(c), BatchSize.of(c.integer("explain.batch-size")));
        }
    }

    /** Where predictions come from: the source topics in their formats, and how a model server's requests and responses pair up. */
    public record Inputs(List<SourceTopic> sources, Duration joinWindow, ServedPredictions predictions) {

        /** The source topics whose records are prediction events, which the explain stage can read back. */
        Set<String> readableTopics() {
            return sources.stream().filter(t -> !t.format().joins()).map(SourceTopic::topic).collect(Collectors.toUnmodifiableSet());
        }
    }

    static final Serde<String> KEYS = Serdes.String();

    private SpotlightTopology() {}

    /**
     * The Kafka Streams settings that route every failure to the dead-letter topic: one handler for
     * deserialisation, processing and production, and the builder it writes letters with.
     */
    public static Map<String, Object> errorHandling(Stages s) {
        return Map.of(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class,
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class,
                StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class,
                StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, s.deadLetters().topic(),
                // No global tables here; opts in to Kafka 5's default early.
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true,
                DeadLetters.CONFIG, s.deadLetters());
    }

    public static Topology build(Topics topics, Role role, Stages s) {
        StreamsBuilder builder = new StreamsBuilder(containingErrors());
        KStream<String, ExplainRequest> requests = null;

        if (role.gates()) {
            KStream<String, Routed<PredictionEvent>> validated = inputs(builder, topics, s);
            Map<String, KStream<String, Routed<PredictionEvent>>> checked = validated.split(Named.as("checked-"))
                    .branch((k, v) -> v.ok(), Branched.as("valid"))
                    .defaultBranch(Branched.as("invalid"));
            toDeadLetters(checked.get("checked-invalid"), topics, s, "validate-dlq");

            builder.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(SampleProcessor.BUDGET_STORE), KEYS, serde(TokenBucket.class, s)));
            KStream<String, PredictionEvent> valid = checked.get("checked-valid").mapValues(Routed::value, Named.as("valid-events"));
            requests = valid
                    .process(() -> new SampleProcessor(s.sampling(), s.budgetPerSecond(), s.budgetBurst(), s.metrics()),
                            Named.as("sample"), SampleProcessor.BUDGET_STORE)
                    .merge(misclassifications(builder, topics, valid, s), Named.as("explain-requests-merged"));
            if (role == Role.GATE) {
                requests.to(topics.explainRequests(), Produced.with(KEYS, serde(ExplainRequest.class, s)).withName("explain-requests"));
            }
            drift(builder, topics, s);
        }

        if (role.explains()) {
            if (role == Role.EXPLAIN) {
                requests = builder.stream(topics.explainRequests(), Consumed.with(KEYS, serde(ExplainRequest.class, s)).withName("explain-requests"));
            }
            // Persistent for the process id's sake too (see the validate stage's store).
            builder.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(ExplainProcessor.BUFFER_STORE), KEYS, serde(ExplainProcessor.Buffered.class, s)));
            Map<String, KStream<String, Object>> explained = requests
                    .process(() -> new ExplainProcessor(s.explainer(), s.explain(), s.lookup(), s.metrics(), s.deadLetters(), s.clock()),
                            Named.as("explain"), ExplainProcessor.BUFFER_STORE)
                    .split(Named.as("explained-"))
                    .branch((k, v) -> v instanceof ExplanationEvent, Branched.as("explanation"))
                    .branch((k, v) -> v instanceof MisclassificationEvent, Branched.as("misclassification"))
                    .defaultBranch(Branched.as("failed"));
            explained.get("explained-explanation")
                    .mapValues(v -> (ExplanationEvent) v, Named.as("explanation-events"))
                    .to(topics.explanations(), Produced.with(KEYS, serde(ExplanationEvent.class, s)).withName("explanations"));
            explained.get("explained-misclassification")
                    .mapValues(v -> (MisclassificationEvent) v, Named.as("misclassification-events"))
                    .to(topics.misclassifications(), Produced.with(KEYS, serde(MisclassificationEvent.class, s)).withName("misclassifications"));
            explained.get("explained-failed")
                    .mapValues(v -> (DeadLetter) v, Named.as("explain-letters"))
                    .to(topics.deadLetter(), Produced.with(KEYS, serde(DeadLetter.class, s)).withName("explain-dlq"));
        }
        return builder.build();
    }

    /**
     * Every source topic in its format, as prediction events or dead letters: Spotlight's own events
     * are validated; a model server's requests and responses are decoded, paired by id within the
     * join window (either may come first) and assembled into events that pass the same checks.
     */
    private static KStream<String, Routed<PredictionEvent>> inputs(StreamsBuilder builder, Topics topics, Stages s) {
        KStream<String, Routed<PredictionEvent>> validated = null;
        KStream<String, Routed<ServedRecord>> decoded = null;
        for (SourceTopic source : s.inputs().sources()) {
            // The default source keeps the node names the topology had before formats existed.
            boolean main = source.topic().equals(topics.predictions()) && !source.format().joins();
            KStream<String, byte[]> records = builder.stream(source.topic(),
                    Consumed.with(KEYS, Serdes.ByteArray()).withName(main ? "predictions" : "source-" + source.topic()));
            if (source.format().joins()) {
                decoded = merged(decoded, records.processValues(() -> new DecodeProcessor(source, s.validator().maxBytes(), s.deadLetters(), s.metrics()),
                        Named.as("decode-" + source.topic())), "decoded-" + source.topic());
            } else {
                String store = seenStore(builder, main ? ValidateProcessor.SEEN_STORE : ValidateProcessor.SEEN_STORE + "-" + source.topic(), s);
                validated = merged(validated, records.processValues(() -> new ValidateProcessor(s.validator(), s.time(), s.dedupWindow(), store,
                        s.deadLetters(), s.metrics(), s.clock()), Named.as(main ? "validate" : "validate-" + source.topic()), store),
                        "validated-" + source.topic());
            }
        }
        if (decoded == null) {
            return validated;
        }
        Map<String, KStream<String, Routed<ServedRecord>>> read = decoded.split(Named.as("decoded-"))
                .branch((k, v) -> v.ok(), Branched.as("read"))
                .defaultBranch(Branched.as("unread"));
        toDeadLetters(read.get("decoded-unread"), topics, s, "decode-dlq");
        Map<String, KStream<String, ServedRecord>> halves = read.get("decoded-read")
                .map((k, v) -> KeyValue.pair(v.value().message().id(), v.value()), Named.as("served-by-id"))
                .split(Named.as("served-"))
                .branch((id, r) -> r.message().role() == InferMessage.Role.REQUEST, Branched.as("requests"))
                .defaultBranch(Branched.as("responses"));
        Duration window = s.inputs().joinWindow();
        String seen = seenStore(builder, AssembleProcessor.SEEN_STORE, s);
        KStream<String, Routed<PredictionEvent>> assembled = halves.get("served-requests")
                .outerJoin(halves.get("served-responses"), AssembleProcessor.Pair::new, JoinWindows.ofTimeDifferenceAndGrace(window, window),
                        StreamJoined.with(KEYS, serde(ServedRecord.class, s), serde(ServedRecord.class, s))
                                .withName("request-response").withStoreName("request-response-join"))
                .processValues(() -> new AssembleProcessor(s.inputs().predictions(), window, s.time(), s.dedupWindow(), s.deadLetters(),
                        s.metrics(), s.clock()), Named.as("assemble"), seen);
        return merged(validated, assembled, "served-predictions");
    }

    /**
     * The ids a stage has read, for its dedup window. Persistent, so that Kafka Streams keeps this
     * instance's process id (and so its transactional ids) across restarts: a restart then fences
     * the transaction its predecessor left open at once.
     */
    private static String seenStore(StreamsBuilder builder, String name, Stages s) {
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(name,
                s.dedupWindow().multipliedBy(2), Duration.ofMillis(1), false), KEYS, Serdes.Long()));
        return name;
    }

    private static <T> KStream<String, T> merged(KStream<String, T> a, KStream<String, T> b, String name) {
        return a == null ? b : a.merge(b, Named.as(name));
    }

    /**
     * Labels joined with the valid predictions they name (by prediction id, within the label window);
     * a disagreeing one becomes a request, one whose prediction never came a dead letter. The join
     * holds each prediction without its input: the explain stage reads the few it needs back.
     */
    private static KStream<String, ExplainRequest> misclassifications(StreamsBuilder builder, Topics topics, KStream<String, PredictionEvent> valid,
                                                                     Stages s) {
        builder.addStateStore(Stores.windowStoreBuilder(Stores.inMemoryWindowStore(LabelProcessor.SEEN_STORE,
                s.dedupWindow().multipliedBy(2), Duration.ofMillis(1), false), KEYS, Serdes.Long()));
        Map<String, KStream<String, Routed<SourcedLabel>>> labels = builder
                .stream(topics.labels(), Consumed.with(KEYS, Serdes.ByteArray()).withName("labels"))
                .processValues(() -> new LabelProcessor(s.time(), s.dedupWindow(), s.deadLetters(), s.metrics(), s.clock()),
                        Named.as("validate-labels"), LabelProcessor.SEEN_STORE)
                .split(Named.as("labels-"))
                .branch((k, v) -> v.ok(), Branched.as("valid"))
                .defaultBranch(Branched.as("invalid"));
        toDeadLetters(labels.get("labels-invalid"), topics, s, "labels-dlq");
        KStream<String, PredictionReference> predictions = valid
                .processValues(() -> new ReferenceProcessor(s.inputs().readableTopics()), Named.as("prediction-references"))
                .selectKey((k, p) -> p.event().id(), Named.as("predictions-by-id"));
        Map<String, KStream<String, Labelled>> joined = labels.get("labels-valid")
                .mapValues(Routed::value, Named.as("label-values"))
                .selectKey((k, l) -> l.label().predictionId(), Named.as("labels-by-prediction"))
                .leftJoin(predictions, Labelled::new, JoinWindows.ofTimeDifferenceAndGrace(s.labelWindow(), s.labelWindow()),
                        StreamJoined.with(KEYS, serde(SourcedLabel.class, s), serde(PredictionReference.class, s))
                                .withName("label-prediction").withStoreName("label-prediction-join"))
                .split(Named.as("labelled-"))
                .branch((k, j) -> j.prediction() == null, Branched.as("unknown"))
                .defaultBranch(Branched.as("known"));
        joined.get("labelled-unknown")
                .mapValues(j -> j.unknownPrediction(s.deadLetters()), Named.as("unknown-prediction-letters"))
                .selectKey((k, letter) -> DeadLetters.key(letter), Named.as("unknown-prediction-letters-by-key"))
                .to(topics.deadLetter(), Produced.with(KEYS, serde(DeadLetter.class, s)).withName("unknown-prediction-dlq"));
        return joined.get("labelled-known")
                .filter((k, j) -> j.disagrees(), Named.as("mismatches"))
                .mapValues(Labelled::request, Named.as("misclassified-requests"));
    }

    /** Closed windows of focus statistics per model version and class (and all classes), compared and alerted on. */
    private static void drift(StreamsBuilder builder, Topics topics, Stages s) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DriftProcessor.LEARNING_STORE),
                KEYS, serde(DriftProcessor.Learning.class, s)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DriftProcessor.CHAMPION_STORE),
                KEYS, Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DriftProcessor.ALERT_STORE),
                KEYS, serde(AlertState.class, s)));
        Map<String, KStream<String, Object>> out = builder
                .stream(topics.explanations(), Consumed.with(KEYS, serde(ExplanationEvent.class, s)).withName("explanations-for-drift"))
                .filter((k, e) -> e != null && s.explainer().feedsDrift(e), Named.as("with-focus"))
                .flatMap((k, e) -> {
                    FocusPoint point = new FocusPoint(e.focus(), e.predictionId());
                    return List.of(KeyValue.pair(DriftProcessor.key(e.model(), Integer.toString(e.predicted().classIndex())), point),
                            KeyValue.pair(DriftProcessor.key(e.model(), ReferenceFile.ALL), point));
                }, Named.as("by-model-and-class"))
                // Every version of a model in one task: a new version is judged with the reference its champion learned.
                .repartition(Repartitioned.<String, FocusPoint>with(KEYS, serde(FocusPoint.class, s)).withName("focus-by-model")
                        .withStreamPartitioner(new ByModel()))
                .groupByKey(Grouped.with("focus-by-model-class", KEYS, serde(FocusPoint.class, s)))
                .windowedBy(TimeWindows.ofSizeAndGrace(s.drift().window(), s.drift().grace()))
                .aggregate(FocusWindow::empty, (k, p, w) -> w.add(p.stats(), p.predictionId(), s.drift().windowSample()), Named.as("focus-windows"),
                        Materialized.<String, FocusWindow, WindowStore<Bytes, byte[]>>as("focus-windows").withKeySerde(KEYS).withValueSerde(serde(FocusWindow.class, s)))
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName("closed-windows"))
                .toStream(Named.as("closed-focus-windows"))
                .process(() -> new DriftProcessor(s.drift(), s.registry(), s.metrics(), s.clock()),
                        Named.as("drift"), DriftProcessor.LEARNING_STORE, DriftProcessor.CHAMPION_STORE, DriftProcessor.ALERT_STORE)
                .split(Named.as("drift-"))
                .branch((k, v) -> v instanceof DriftEvent, Branched.as("figures"))
                .defaultBranch(Branched.as("alerts"));
        out.get("drift-figures").mapValues(v -> (DriftEvent) v, Named.as("drift-events"))
                .to(topics.attentionDrift(), Produced.with(KEYS, serde(DriftEvent.class, s)).withName("attention-drift"));
        out.get("drift-alerts").mapValues(v -> (AlertEvent) v, Named.as("alert-events"))
                .to(topics.alerts(), Produced.with(KEYS, serde(AlertEvent.class, s)).withName("alerts"));
    }

    /** Dead letters keyed as every dead letter is (the source key, cut), not by a producer's key of any length. */
    private static <T> void toDeadLetters(KStream<String, Routed<T>> stream, Topics topics, Stages s, String name) {
        stream.map((k, v) -> KeyValue.pair(DeadLetters.key(v.letter()), v.letter()), Named.as(name + "-letters"))
                .to(topics.deadLetter(), Produced.with(KEYS, serde(DeadLetter.class, s)).withName(name));
    }

    /** Every record Spotlight writes is serialised within the limits of one record. */
    private static <T> Serde<T> serde(Class<T> type, Stages s) {
        return JsonSerde.of(type, s.limits());
    }

    /**
     * Build-time settings: every processor wrapped by {@link ContainErrors}. Kafka Streams replaces
     * the placeholders below with the application's own settings when it starts.
     */
    private static TopologyConfig containingErrors() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "spotlight-build");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused-at-build-time:9092");
        p.put(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, ContainErrors.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return new TopologyConfig(new StreamsConfig(p));
    }
}

package io.spotlight.topology;

import io.spotlight.events.DeadLetter;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.PredictionEvent;
import io.spotlight.explanation.ExplainRequest;
import io.spotlight.explanation.ExplanationService;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.sampling.SamplingPolicy;
import io.spotlight.sampling.TokenBucket;
import io.spotlight.validation.PredictionValidator;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The wiring, top to bottom, and nothing else:
 * <pre>
 * predictions -> validate -> sample -> [explain-requests] -> explain -> explanations
 *                   | bad                                       | failed
 *                   +------------------> spotlight-dlq <--------+
 * </pre>
 */
public final class SpotlightTopology {

    /** The stages' domain objects; the topology only connects them. */
    public record Stages(PredictionValidator validator, SamplingPolicy sampling, double budgetPerSecond, double budgetBurst,
                         ExplanationService explainer, int batchSize, Duration linger, SpotlightMetrics metrics,
                         String application, Clock clock) {}

    static final Serde<String> KEYS = Serdes.String();
    static final Serde<ExplainRequest> REQUESTS = JsonSerde.of(ExplainRequest.class);
    static final Serde<ExplanationEvent> EXPLANATIONS = JsonSerde.of(ExplanationEvent.class);
    static final Serde<DeadLetter> DEAD_LETTERS = JsonSerde.of(DeadLetter.class);

    private SpotlightTopology() {}

    public static Topology build(Topics topics, Role role, Stages s) {
        StreamsBuilder builder = new StreamsBuilder();
        DeadLetters deadLetters = new DeadLetters(s.application(), s.clock());
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
            requests = checked.get("checked-valid")
                    .mapValues(Routed::value, Named.as("valid-events"))
                    .process(() -> new SampleProcessor(s.sampling(), s.budgetPerSecond(), s.budgetBurst(), s.metrics()),
                            Named.as("sample"), SampleProcessor.BUDGET_STORE);
            if (role == Role.GATE) {
                requests.to(topics.explainRequests(), Produced.with(KEYS, REQUESTS).withName("explain-requests"));
            }
        }

        if (role.explains()) {
            if (role == Role.EXPLAIN) {
                requests = builder.stream(topics.explainRequests(), Consumed.with(KEYS, REQUESTS).withName("explain-requests"));
            }
            builder.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(ExplainProcessor.BUFFER_STORE), KEYS, JsonSerde.of(ExplainProcessor.Buffered.class)));
            Map<String, KStream<String, Routed<ExplanationEvent>>> explained = requests
                    .process(() -> new ExplainProcessor(s.explainer(), s.batchSize(), s.linger(), s.metrics(), deadLetters, s.clock()),
                            Named.as("explain"), ExplainProcessor.BUFFER_STORE)
                    .split(Named.as("explained-"))
                    .branch((k, v) -> v.ok(), Branched.as("ok"))
                    .defaultBranch(Branched.as("failed"));
            explained.get("explained-ok")
                    .mapValues(Routed::value, Named.as("explanation-events"))
                    .to(topics.explanations(), Produced.with(KEYS, EXPLANATIONS).withName("explanations"));
            toDeadLetters(explained.get("explained-failed"), topics, "explain-dlq");
        }
        return builder.build();
    }

    private static <T> void toDeadLetters(KStream<String, Routed<T>> stream, Topics topics, String name) {
        stream.mapValues(Routed::letter, Named.as(name + "-letters"))
                .to(topics.deadLetter(), Produced.with(KEYS, DEAD_LETTERS).withName(name));
    }
}

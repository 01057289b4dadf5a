package io.spotlight.cli;

import io.spotlight.demo.DemoTraffic;
import io.spotlight.model.SampleData;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Json;
import io.spotlight.events.PredictionEvent;
import io.spotlight.explanation.ExplainRequest;
import io.spotlight.explanation.ExplanationService;
import io.spotlight.explanation.Outcome;
import io.spotlight.focus.ReferenceBuilder;
import io.spotlight.events.ReferenceFile;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelRegistry;
import io.spotlight.sampling.SamplingDecision;
import io.spotlight.sampling.SamplingReason;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "baseline", mixinStandardHelpOptions = true,
        description = "Makes a pinned focus reference for a model: what its explanations normally look at, per predicted class and overall. From the model's shipped samples (explained here with its baseline plan) or from a time range of the explanations topic. Point the registry entry's \"reference\" at the file; drift is then measured against it for every version of the model.")
final class BaselineCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--model-id", required = true, description = "The model id.")
    String modelId;

    @Option(names = "--version", description = "With --from-samples: the version that explains the samples (default: the first registered).")
    String version;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--from-samples", description = "Explain the model card's sample inputs.")
        boolean samples;

        @Option(names = "--from-topic", paramLabel = "TOPIC", description = "Read explanation events from this topic (bootstrap.servers from the configuration).")
        String topic;
    }

    @Option(names = "--from", description = "With --from-topic: first timestamp (ISO-8601, default: the beginning).")
    Instant from;

    @Option(names = "--to", description = "With --from-topic: last timestamp (ISO-8601, default: now).")
    Instant to;

    @Option(names = "--limit", description = "At most this many samples / events (default: all).")
    int limit;

    @Option(names = "--out", required = true, description = "The reference file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        var config = options.load(Map.of());
        ReferenceBuilder builder = new ReferenceBuilder(modelId);
        String description;
        if (source.samples) {
            try (ModelRegistry registry = ConfigOptions.registry(config)) {
                LoadedModel model = registry.all().stream()
                        .filter(m -> m.card().id().equals(modelId) && (version == null || m.card().version().equals(version)))
                        .findFirst().orElseThrow(() -> new IllegalArgumentException("no registered model " + modelId
                                + (version == null ? "" : ":" + version)));
                List<SampleData.Sample> samples = SampleData.of(model.card());
                if (samples.isEmpty()) {
                    throw new IllegalArgumentException(model.card().ref() + " ships no samples; use --from-topic");
                }
                int n = limit > 0 ? Math.min(limit, samples.size()) : samples.size();
                ExplanationService service = ExplanationService.of(config, registry, Clock.systemUTC(), io.spotlight.containment.RecordLimits.of(config).maxValueBytes(null));
                List<ExplainRequest> requests = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    PredictionEvent e = Json.MAPPER.treeToValue(DemoTraffic.predict("sample-" + i, model, samples.get(i), Instant.now()), PredictionEvent.class);
                    requests.add(new ExplainRequest(e, new SamplingDecision(List.of(SamplingReason.BASELINE), 1, 1, null)));
                }
                for (int i = 0; i < requests.size(); i += 16) {
                    for (Outcome o : service.explain(requests.subList(i, Math.min(requests.size(), i + 16)))) {
                        if (o instanceof Outcome.Explained ex) {
                            builder.add(ex.event());
                        }
                    }
                }
                description = n + " shipped samples of " + model.card().ref() + " explained with its baseline plan";
            }
        } else {
            description = readTopic(config.get("bootstrap.servers"), builder);
        }
        ReferenceFile ref = builder.build(description, Instant.now());
        ref.save(out);
        System.out.printf("wrote %s: %d explanations (%s), method %s, %d classes; overall entropy %.3f, forbidden mass %.3f%n",
                out, builder.count(), description, ref.method(), ref.classes().size() - 1, ref.classes().get(ReferenceFile.ALL).entropy(),
                ref.classes().get(ReferenceFile.ALL).forbidden());
        return 0;
    }

    private String readTopic(String bootstrap, ReferenceBuilder builder) {
        Instant end = to == null ? Instant.now() : to;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(source.topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            if (from == null) {
                consumer.seekToBeginning(parts);
            } else {
                Map<TopicPartition, Long> times = new java.util.HashMap<>();
                parts.forEach(p -> times.put(p, from.toEpochMilli()));
                consumer.offsetsForTimes(times).forEach((p, o) -> {
                    if (o == null) {
                        consumer.seekToEnd(List.of(p));
                    } else {
                        consumer.seek(p, o.offset());
                    }
                });
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
            long read = 0;
            while (parts.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && (limit <= 0 || builder.count() < limit)) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    read++;
                    if (r.timestamp() <= end.toEpochMilli()) {
                        builder.add(Json.read(r.value(), ExplanationEvent.class));
                    }
                }
            }
            return read + " events of topic " + source.topic + (from == null ? "" : " from " + from) + " to " + end;
        }
    }
}

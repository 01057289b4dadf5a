package io.spotlight.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.app.SpotlightApplication;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.containment.RecordLimits;
import io.spotlight.demo.DemoTraffic;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.FocusStats;
import io.spotlight.events.Input;
import io.spotlight.events.InvalidInputException;
import io.spotlight.events.Json;
import io.spotlight.events.PredictionEvent;
import io.spotlight.events.ReferenceFile;
import io.spotlight.explanation.ExplainRequest;
import io.spotlight.explanation.ExplanationService;
import io.spotlight.explanation.Outcome;
import io.spotlight.focus.ReferenceBuilder;
import io.spotlight.kafka.KafkaClients;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelRegistry;
import io.spotlight.model.SampleData;
import io.spotlight.sampling.SamplingDecision;
import io.spotlight.sampling.SamplingPolicy;
import io.spotlight.sampling.SamplingReason;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "baseline", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Makes a pinned focus reference for a model: what its explanations normally look at, per predicted class and overall, "
                + "with a sample of the explanations' statistics from which every window statistic's null distribution is resampled "
                + "(the alert thresholds). From whatever you have: the card's samples, a folder of images, .npy/.npz tensors, a text file "
                + "of one input per line, a JSON-lines file of prediction events, or a time range of a topic of prediction (or explanation) "
                + "events. Inputs are classified and explained with the model's baseline plan. Prints a summary: top regions or tokens, "
                + "the null quantiles by window size, and how many explanations per window the alerts need to catch a shift.",
            "Point the registry entry's \"reference\" at the file; every version of the model is then judged against it."})
final class BaselineCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--model-id", required = true, description = "The model id.")
    String modelId;

    @Option(names = "--version", description = "The version that explains the inputs (default: the first registered); with events, only that version's.")
    String version;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--from-samples", description = "The model card's sample inputs.")
        boolean samples;

        @Option(names = "--from-images", paramLabel = "DIR|IDX", description = "A folder of PNG/JPEG images (recursively), or an IDX image file; preprocessed as the card says.")
        Path images;

        @Option(names = "--from-tensors", paramLabel = "FILE|DIR", description = ".npy/.npz files (or a folder of them): arrays of the model's input shape, or stacks [n, ...] of them.")
        Path tensors;

        @Option(names = "--from-texts", paramLabel = "FILE", description = "A text file, one input per line.")
        Path texts;

        @Option(names = "--from-events", paramLabel = "FILE", description = "A JSON-lines file of prediction events (schemas/prediction.schema.json).")
        Path events;

        @Option(names = "--from-topic", paramLabel = "TOPIC", description = "Prediction events (explained here) or explanation events (used as they are) of a topic, between --from and --to (bootstrap.servers from the configuration).")
        String topic;
    }

    @Option(names = "--from", description = "With --from-topic: first timestamp (ISO-8601, default: the beginning).")
    Instant from;

    @Option(names = "--to", description = "With --from-topic: last timestamp (ISO-8601, default: now).")
    Instant to;

    @Option(names = "--limit", description = "At most this many inputs / events (default: all).")
    int limit;

    @Option(names = "--as-sampled", description = "Explain only the inputs the live stream would sample (the sampling.* settings: low confidence, small margin, flags, the baseline share), with the plans of their sampling reasons, so the reference sees what the stream's windows see.")
    boolean asSampled;

    @Option(names = "--out", required = true, description = "The reference file to write.")
    Path out;

    @Option(names = "--judge-against", paramLabel = "REFERENCE", description = "Also cut the explanations, in input order, into windows of --window-size and judge each against this reference file as the stream would (null quantiles for the window's size, the alert rules): a false-alert rate on clean inputs, or the detection rate of a changed model.")
    Path judgeAgainst;

    @Option(names = "--window-size", description = "With --judge-against: explanations per window (default ${DEFAULT-VALUE}).", defaultValue = "25")
    int windowSize;

    @Override
    public Integer call() throws Exception {
        SpotlightConfig config = options.load(Map.of());
        ReferenceBuilder builder = new ReferenceBuilder(modelId, source.topic == null ? null : version, config.integer("drift.reference-sample"));
        String description;
        // The cluster's answer first: a refused login is one sentence, not one after minutes of model loading.
        KafkaClients clients = source.topic == null ? null : KafkaClients.of(config);
        if (clients != null) {
            clients.checkAccess(SpotlightApplication.ACCESS_TIMEOUT);
        }
        try (ModelRegistry registry = ConfigOptions.registry(config)) {
            LoadedModel model = registry.all().stream()
                    .filter(m -> m.card().id().equals(modelId) && (version == null || m.card().version().equals(version)))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no registered model " + modelId
                            + (version == null ? "" : ":" + version) + " in " + config.get("models.registry") + " (models.registry)"));
            ExplanationService service = ExplanationService.of(config, registry, Clock.systemUTC(), RecordLimits.of(config).maxValueBytes(null));
            List<PredictionEvent> predictions = new ArrayList<>();
            if (clients != null) {
                description = readTopic(clients, source.topic, from, to, limit, modelId, version, builder, predictions);
            } else if (source.events != null) {
                BaselineInputs.events(source.events).stream()
                        .filter(e -> e.model().id().equals(modelId) && (version == null || e.model().version().equals(version)))
                        .forEach(predictions::add);
                description = "prediction events of " + source.events;
            } else {
                List<BaselineInputs.Item> items = items(model);
                for (BaselineInputs.Item item : limited(items)) {
                    predictions.add(predict(model, item));
                }
                description = "inputs " + (source.samples ? "(the card's samples) of " + model.card().ref() : "from " + sourcePath()) + " explained by "
                        + model.card().ref() + " with its baseline plan";
            }
            List<FocusStats> explained = new ArrayList<>();
            Function<PredictionEvent, SamplingDecision> sampler = asSampled
                    ? SamplingPolicy.of(config)::decide
                    : e -> new SamplingDecision(List.of(SamplingReason.BASELINE), 1, 1, null);
            explain(service, limited(predictions), sampler, e -> {
                if (builder.add(e)) {
                    explained.add(e.focus());
                }
            });
            if (builder.count() == 0) {
                throw new IllegalArgumentException("no explanation of " + modelId + " to make a reference from (" + description + ")");
            }
            ReferenceFile ref = builder.build(builder.count() + " explanations: " + description, Instant.now());
            ref.save(out);
            System.out.printf("wrote %s: %d explanations, method %s, %d classes%n", out, builder.count(), ref.method(), ref.classes().size() - 1);
            ReferenceSummary.print(ref, model, config, System.out);
            if (judgeAgainst != null) {
                ReferenceSummary.judge(ReferenceFile.load(judgeAgainst), explained, windowSize, model, config, System.out);
            }
        }
        return 0;
    }

    private List<BaselineInputs.Item> items(LoadedModel model) {
        if (source.samples) {
            List<SampleData.Sample> samples = SampleData.of(model.card());
            if (samples.isEmpty()) {
                throw new IllegalArgumentException(model.card().ref() + " ships no samples; use --from-images, --from-tensors, --from-texts, --from-events or --from-topic");
            }
            List<BaselineInputs.Item> out = new ArrayList<>();
            for (int i = 0; i < samples.size(); i++) {
                SampleData.Sample s = samples.get(i);
                out.add(new BaselineInputs.Item("sample-" + i, s.png() != null
                        ? new Input.Image("png", Base64.getEncoder().encodeToString(s.png()))
                        : new Input.Text(s.text()), s.label()));
            }
            return out;
        }
        if (source.images != null) {
            return BaselineInputs.images(source.images);
        }
        if (source.tensors != null) {
            return BaselineInputs.tensors(source.tensors, model);
        }
        return BaselineInputs.texts(source.texts);
    }

    private Path sourcePath() {
        return source.images != null ? source.images : source.tensors != null ? source.tensors : source.texts;
    }

    private <T> List<T> limited(List<T> all) {
        return limit > 0 && all.size() > limit ? all.subList(0, limit) : all;
    }

    private static PredictionEvent predict(LoadedModel model, BaselineInputs.Item item) {
        try {
            return Json.MAPPER.treeToValue(DemoTraffic.predict(item.id(), model, item.input(), item.trueClass(), Instant.now()), PredictionEvent.class);
        } catch (InvalidInputException e) {
            throw new IllegalArgumentException(item.id() + ": " + model.card().ref() + " cannot take it: " + e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Explains the predictions the sampler samples, with its reasons' plans, in batches, with a progress bar. */
    private static void explain(ExplanationService service, List<PredictionEvent> predictions,
                                Function<PredictionEvent, SamplingDecision> sampler, Consumer<ExplanationEvent> sink) {
        int failed = 0;
        try (Progress progress = Progress.start("explained", "inputs", predictions.size())) {
            for (int i = 0; i < predictions.size(); i += 16) {
                List<ExplainRequest> batch = predictions.subList(i, Math.min(predictions.size(), i + 16)).stream()
                        .map(e -> new ExplainRequest(e, sampler.apply(e))).filter(r -> r.decision().sampled()).toList();
                for (Outcome o : batch.isEmpty() ? List.<Outcome>of() : service.explain(batch)) {
                    if (o instanceof Outcome.Explained ex) {
                        sink.accept(ex.event());
                    } else {
                        failed++;
                    }
                }
                progress.to(Math.min(predictions.size(), i + 16));
            }
        }
        if (failed > 0) {
            System.err.printf("%d of %d inputs could not be explained (unregistered version or unreadable input); left out%n", failed, predictions.size());
        }
    }

    /** Explanation events of a topic into the builder, and the model's prediction events into {@code predictions} (to explain), between two times. */
    static String readTopic(KafkaClients clients, String topic, Instant from, Instant to, int limit, String modelId, String version,
                            ReferenceBuilder builder, List<PredictionEvent> predictions) {
        Instant end = to == null ? Instant.now() : to;
        try (KafkaConsumer<String, byte[]> consumer = clients.reader("spotlight-baseline")) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            if (from == null) {
                consumer.seekToBeginning(parts);
            } else {
                Map<TopicPartition, Long> times = new HashMap<>();
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
            long unreadable = 0;
            while (parts.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && (limit <= 0 || builder.count() + predictions.size() < limit)) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    read++;
                    if (r.timestamp() > end.toEpochMilli()) {
                        continue;
                    }
                    try {
                        var json = Json.read(r.value(), JsonNode.class);
                        if (json.has("focus")) {
                            builder.add(Json.MAPPER.convertValue(json, ExplanationEvent.class));
                        } else if (json.has("input") && json.path("model").path("id").asText().equals(modelId)
                                && (version == null || json.path("model").path("version").asText().equals(version))) {
                            predictions.add(Json.MAPPER.convertValue(json, PredictionEvent.class));
                        }
                    } catch (RuntimeException e) {
                        unreadable++;
                    }
                }
            }
            if (unreadable > 0) {
                System.err.printf("%d records of %s were not events (left out)%n", unreadable, topic);
            }
            return read + " events of topic " + topic + (from == null ? "" : " from " + from) + " to " + end;
        }
    }
}

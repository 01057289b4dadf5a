package io.spotlight.cli;

import io.spotlight.app.SpotlightApplication;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.events.ModelRef;
import io.spotlight.events.ReferenceFile;
import io.spotlight.focus.ReferenceBuilder;
import io.spotlight.kafka.KafkaClients;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelCard;
import io.spotlight.model.ModelRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "promote", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Promotes a model version's focus to be the model's reference: builds the reference from that version's published "
                + "explanations (the explanations topic, between --from and --to), writes it, and pins it in the registry file, so every "
                + "version of the model is judged against it from the next start (a pinned reference comes before any learned one).",
            "Use it when a new version's different focus is intended (its attention-drift alert is then an expected change): "
                + "its reference becomes the one later versions must match."})
final class PromoteCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--model-id", required = true, description = "The model id.")
    String modelId;

    @Option(names = "--version", required = true, description = "The version whose focus becomes the reference.")
    String version;

    @Option(names = "--from", description = "First timestamp of the explanations to use (ISO-8601, default: the beginning).")
    Instant from;

    @Option(names = "--to", description = "Last timestamp (ISO-8601, default: now).")
    Instant to;

    @Option(names = "--out", description = "The reference file (default: focus-reference.json beside the version's model card).")
    Path out;

    @Override
    public Integer call() throws Exception {
        SpotlightConfig config = options.load(Map.of());
        Path registryFile = Path.of(config.get("models.registry"));
        ModelCard card;
        try (ModelRegistry registry = ConfigOptions.registry(config)) {
            card = registry.find(new ModelRef(modelId, version)).map(LoadedModel::card).orElseThrow(() ->
                    new IllegalArgumentException("no registered model " + modelId + ":" + version + " in " + registryFile + " (models.registry)"));
        }
        ReferenceBuilder builder = new ReferenceBuilder(modelId, version, config.integer("drift.reference-sample"));
        String topic = config.get("topics.explanations");
        KafkaClients clients = KafkaClients.of(config);
        clients.checkAccess(SpotlightApplication.ACCESS_TIMEOUT);
        String read = BaselineCommand.readTopic(clients, topic, from, to, 0, modelId, version, builder, new ArrayList<>());
        if (builder.count() == 0) {
            throw new IllegalArgumentException("no explanation of " + modelId + ":" + version + " on " + topic + " (" + read + ")");
        }
        Path file = out != null ? out : card.directory().resolve("focus-reference.json");
        ReferenceFile ref = builder.build(builder.count() + " explanations of " + modelId + ":" + version + ", promoted (" + read + ")", Instant.now());
        ref.save(file);
        String relative = registryFile.toAbsolutePath().getParent().relativize(file.toAbsolutePath()).toString();
        int[] pinned = {0};
        RegistryFile.update(registryFile, (c, entry) -> {
            if (c.id().equals(modelId)) {
                entry.put("reference", relative);
                pinned[0]++;
            }
        });
        System.out.printf("promoted %s:%s: reference %s (%d explanations) written to %s and pinned for %d registry entries of %s in %s; "
                + "restart Spotlight to judge with it%n", modelId, version, ref.classes().get(ReferenceFile.ALL).id(), builder.count(), file, pinned[0],
                modelId, registryFile);
        return 0;
    }
}

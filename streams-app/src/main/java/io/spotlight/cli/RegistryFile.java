package io.spotlight.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spotlight.events.Json;
import io.spotlight.model.ModelCard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/** Edits a registry file's entries in place (each with its card loaded), keeping everything else as it was. */
final class RegistryFile {

    private RegistryFile() {}

    static void update(Path registryFile, BiConsumer<ModelCard, ObjectNode> edit) throws IOException {
        ObjectNode root = (ObjectNode) Json.MAPPER.readTree(registryFile.toFile());
        Path base = registryFile.toAbsolutePath().getParent();
        for (var entry : root.withArray("models")) {
            edit.accept(ModelCard.load(base.resolve(entry.get("card").asText())), (ObjectNode) entry);
        }
        Files.writeString(registryFile, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }
}

package io.spotlight.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spotlight.events.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * A fault test's measured figures (lost, duplicated, recovery seconds, ...), printed and written to
 * streams-app/target/fault-suite/&lt;name&gt;.json for the README's Reliability section.
 */
public final class FaultReport {

    private final String name;
    private final ObjectNode figures = Json.MAPPER.createObjectNode();

    public FaultReport(String name) {
        this.name = name;
    }

    public ObjectNode figures() {
        return figures;
    }

    /** What came of the sampled predictions: how many, explained, lost and duplicated. */
    public FaultReport outcome(Set<String> sampled, Explained out) {
        figures.put("sampled", sampled.size()).put("explained", out.explanations().size())
                .put("lost", out.lost(sampled).size()).put("duplicated", out.duplicated().size());
        return this;
    }

    public void write() throws IOException {
        Path dir = Repository.root().resolve("streams-app/target/fault-suite");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(figures));
        System.out.println("fault suite, " + name + ": " + figures);
    }
}

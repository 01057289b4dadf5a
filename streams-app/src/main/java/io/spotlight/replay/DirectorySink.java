package io.spotlight.replay;

import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Re-explained events as lines of DIR/explanations.jsonl; a failed write ends the replay. */
public final class DirectorySink implements ReplaySink {

    private final BufferedWriter writer;

    public DirectorySink(Path dir) throws IOException {
        Files.createDirectories(dir);
        writer = Files.newBufferedWriter(dir.resolve("explanations.jsonl"), StandardCharsets.UTF_8);
    }

    @Override
    public void accept(ExplanationEvent e) {
        try {
            writer.write(Json.text(e));
            writer.newLine();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public List<String> flush() {
        try {
            writer.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return List.of();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}

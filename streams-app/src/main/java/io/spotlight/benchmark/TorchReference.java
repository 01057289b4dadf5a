package io.spotlight.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.events.Json;
import io.spotlight.model.LoadedModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The outside reference: the same methods in plain PyTorch autograd on the same TorchScript file,
 * timed by {@code tools/torch_reference.py} under Debian's python3-torch (a process of its own, run
 * between Spotlight's own measurements of the model so both are measured minutes apart).
 */
public final class TorchReference {

    /** One method's PyTorch times: per record in a batch, for one record, and their floors (ms). */
    public record Times(double batchedMsPerRecord, double singleMs, double floorBatchedMsPerRecord, double floorSingleMs) {}

    /** What the script needs besides the card: the pass size, batch, repeats, threads and the path methods' rows. */
    public record Settings(Path python, Path script, int batch, int warmup, int repeats, int threads, int igSteps, int samples) {}

    private TorchReference() {}

    /** PyTorch's times by method for the model's methods in the list, or a reason it could not run. */
    public static Map<String, Times> measure(Settings s, LoadedModel model, List<String> methods, int chunk) throws IOException,
            InterruptedException {
        if (!Files.isExecutable(s.python()) || !Files.exists(s.script())) {
            throw new IOException("PyTorch reference unavailable: " + s.python() + " or " + s.script() + " is missing");
        }
        List<String> command = new ArrayList<>(List.of(s.python().toString(), s.script().toString(),
                "--card", model.card().directory().resolve("model.json").toString(),
                "--methods", String.join(",", methods), "--chunk", Integer.toString(chunk), "--batch", Integer.toString(s.batch()),
                "--warmup", Integer.toString(s.warmup()), "--repeats", Integer.toString(s.repeats()),
                "--threads", Integer.toString(s.threads()), "--ig-steps", Integer.toString(s.igSteps()),
                "--samples", Integer.toString(s.samples())));
        Path out = Files.createTempFile("spotlight-torch-reference", ".json");
        command.addAll(List.of("--out", out.toString()));
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("tools/torch_reference.py failed for " + model.card().ref() + " (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
        }
        JsonNode json = Json.MAPPER.readTree(Files.readString(out, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Map<String, Times> times = new LinkedHashMap<>();
        json.path("methods").fields().forEachRemaining(e -> times.put(e.getKey(), new Times(
                e.getValue().path("batched_ms_per_record").asDouble(), e.getValue().path("single_ms").asDouble(),
                e.getValue().path("floor_batched_ms_per_record").asDouble(), e.getValue().path("floor_single_ms").asDouble())));
        return times;
    }
}

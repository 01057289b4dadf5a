package io.spotlight.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Spotlight's commands as a user runs them: {@code java -jar streams-app/target/spotlight.jar ...}
 * in a JVM of their own (the package phase builds the jar before the integration tests), with
 * the shipped models. What they print (standard output and error together) and their exit status.
 */
public final class SpotlightJvm {

    private SpotlightJvm() {}

    static final Path ROOT = Repository.root();

    static ProcessBuilder builder(Map<String, String> environment, List<String> args, Path output) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                ROOT.resolve("streams-app/target/spotlight.jar").toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SPOTLIGHT_"));
        pb.environment().put("SPOTLIGHT_MODELS_REGISTRY", ROOT.resolve("models/registry.json").toString());
        pb.environment().putAll(environment);
        return pb;
    }

    /** Runs a command to its end. */
    public static Tools.Run run(Map<String, String> environment, List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
        Path output = Files.createTempFile("spotlight-cli", ".log");
        Process p = builder(environment, args, output).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(args + " did not finish in " + timeoutSeconds + " s:\n" + Files.readString(output));
        }
        return new Tools.Run(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    /** Starts a long-running command (run); what it prints goes to {@code output}. */
    public static Process start(Map<String, String> environment, List<String> args, Path output) throws IOException {
        return builder(environment, args, output).start();
    }
}

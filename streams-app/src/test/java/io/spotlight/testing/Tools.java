package io.spotlight.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * External programs the monitoring tests run (promtool, prometheus, chromium, docker-compose). On a
 * developer machine without them those tests are skipped with the install command; under CI
 * (CI=true, where .ci/run installs them) a missing one is a failure.
 */
public final class Tools {

    /** What a program printed and how it ended. */
    public record Run(int exit, String output) {}

    private Tools() {}

    public static Path require(String program, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(program + " is not installed; CI must install Debian's " + debianPackage);
        }
        assumeTrue(false, program + " is not installed (apt-get install " + debianPackage + "); skipping");
        return null;
    }

    public static Run run(List<String> command, Path directory, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s");
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}

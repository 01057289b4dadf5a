package io.spotlight.cli;

import io.spotlight.app.SpotlightApplication;
import io.spotlight.config.Secrets;
import io.spotlight.kafka.KafkaClients;
import io.spotlight.metrics.SpotlightMetrics;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs Spotlight against a Kafka cluster until stopped (SIGTERM / Ctrl-C). Instances with the same application.id share the work; --role splits the cheap stages (gate: validate, sample) from the expensive one (explain) so explainers can run on GPU hosts.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--role", description = "all, gate or explain (overrides the role setting).")
    String role;

    @Override
    public Integer call() throws Exception {
        var config = options.load("role", role);
        // The hook only asks to stop, then holds the JVM until the stream has closed cleanly.
        try (GracefulShutdown shutdown = new GracefulShutdown("spotlight-shutdown");
             SpotlightApplication app = SpotlightApplication.start(config, SpotlightMetrics.prometheus())) {
            while (!shutdown.awaitStop(1, TimeUnit.SECONDS)) {
                if (app.failure() != null) {
                    System.err.println("spotlight: stopped after a failure: "
                            + Secrets.redact(KafkaClients.of(config).describe(app.failure()).orElse(String.valueOf(app.failure()))));
                    return 1;
                }
            }
        }
        return 0;
    }
}

package io.spotlight.cli;

import io.spotlight.config.Secrets;
import io.spotlight.kafka.KafkaAccessException;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The one binary: every command of Spotlight. */
@Command(name = "spotlight",
        mixinStandardHelpOptions = true,
        versionProvider = SpotlightCli.Version.class,
        description = "Explains deployed classifiers while they run: reads prediction events from Kafka, samples the doubtful or flagged ones, computes attributions with the model itself (DJL + libtorch) and publishes explanation events, attention-drift figures and alerts, with Prometheus metrics.",
        subcommands = {
            DemoCommand.class,
            ExplainCommand.class,
            BenchmarkCommand.class,
            CalibrateCommand.class,
            ProduceCommand.class,
            BaselineCommand.class,
            PromoteCommand.class,
            ReplayCommand.class,
            RunCommand.class,
            ConfigCommand.class,
            AclsCommand.class,
            MethodsCommand.class,
            CommandLine.HelpCommand.class})
public final class SpotlightCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SpotlightCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(commandLine.getColorScheme().errorText("spotlight: " + Secrets.redact(message(e))));
            if (Boolean.getBoolean("spotlight.debug")) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                commandLine.getErr().print(Secrets.redact(trace.toString()));
            }
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        return cli;
    }

    /** One sentence for a failure: Kafka's refusal when there is one among its causes, else its own message. */
    static String message(Exception e) {
        if (e instanceof KafkaAccessException) {
            return e.getMessage();
        }
        return KafkaAccessException.refusal(e).map(t -> "Kafka refused access: " + t.getMessage())
                .orElse(e.getMessage() == null ? e.toString() : e.getMessage());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SpotlightCli.class.getPackage().getImplementationVersion();
            return new String[] {"spotlight " + (v == null ? "dev" : v)};
        }
    }
}

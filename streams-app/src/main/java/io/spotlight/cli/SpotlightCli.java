package io.spotlight.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

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
            commandLine.getErr().println(commandLine.getColorScheme().errorText("spotlight: " + e.getMessage()));
            if (Boolean.getBoolean("spotlight.debug")) {
                e.printStackTrace(commandLine.getErr());
            }
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        return cli;
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

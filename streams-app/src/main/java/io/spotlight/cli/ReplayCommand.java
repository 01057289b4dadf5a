package io.spotlight.cli;

import io.spotlight.app.SpotlightApplication;
import io.spotlight.kafka.KafkaClients;
import io.spotlight.model.ModelRegistry;
import io.spotlight.replay.Bound;
import io.spotlight.replay.DirectorySink;
import io.spotlight.replay.ReplayReport;
import io.spotlight.replay.ReplayRunner;
import io.spotlight.replay.ReplaySink;
import io.spotlight.replay.ReportWriter;
import io.spotlight.replay.TopicSink;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Re-explains a range of the predictions topic for an audit and proves the answer is the one published: reads the range with a consumer of its own (the running application's group and offsets are never touched), makes the live sampling decisions again, re-runs each published explanation with its recorded methods, parameters and seed, and compares digests. Same engine and device: identical bit for bit; another: within --tolerance. Writes the re-explained events to --out (a topic, or a directory) and a JSON + HTML report with a picture of every difference. Exit status 0 when everything compared is identical or within tolerance and nothing is missing or lost on the way to --out (every send to a topic is checked), 3 otherwise.")
final class ReplayCommand implements Callable<Integer> {

    /** Defaults of --tolerance and --compare-margin, also the demo's audit settings. */
    static final String DEFAULT_TOLERANCE = "1e-4";
    static final String DEFAULT_MARGIN = "1h";

    @Mixin
    ConfigOptions options;

    @Option(names = "--from", paramLabel = "TIME|OFFSET", description = "First record: an ISO-8601 time, an offset for every partition, or partition:offset,... (default: the beginning).")
    String from;

    @Option(names = "--to", paramLabel = "TIME|OFFSET", description = "Stop before: a time, an offset, or partition:offset,... (default: the end now).")
    String to;

    @Option(names = "--topic", description = "The predictions topic (default: topics.predictions).")
    String topic;

    @Option(names = "--model", paramLabel = "ID", description = "Only predictions of this model id.")
    String model;

    @Option(names = "--model-version", paramLabel = "V", description = "Explain with this version instead of the recorded one (a what-if audit: the report says how the explanations differ).")
    String modelVersion;

    @Option(names = "--out", required = true, paramLabel = "TOPIC|DIR",
            description = "Where the re-explained events go: a directory (written as explanations.jsonl) if the value contains '/', else a topic.")
    String out;

    @Option(names = "--compare", paramLabel = "TOPIC", defaultValue = "explanations",
            description = "The topic of the published explanations to compare with (default: ${DEFAULT-VALUE}; 'none' to only re-explain).")
    String compare;

    @Option(names = "--report", paramLabel = "DIR", description = "Where report.json, report.html and pictures/ go (default: the --out directory, else ./replay-<time>).")
    Path report;

    @Option(names = "--tolerance", defaultValue = DEFAULT_TOLERANCE, description = "Largest relative difference accepted when the engine or device differs (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--compare-margin", defaultValue = DEFAULT_MARGIN, description = "How far around the predictions' times to look for their explanations (default: ${DEFAULT-VALUE}).")
    String margin;

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (overrides bootstrap.servers).")
    String bootstrap;

    @Override
    public Integer call() throws Exception {
        var config = options.load("bootstrap.servers", bootstrap);
        boolean toDirectory = out.contains("/");
        Path reportDir = report != null ? report : toDirectory ? Path.of(out)
                : Path.of("replay-" + Instant.now().toString().replace(':', '-'));
        String application = "spotlight-replay-" + Instant.now().toEpochMilli();
        KafkaClients clients = KafkaClients.of(config);
        clients.checkAccess(SpotlightApplication.ACCESS_TIMEOUT);
        try (ModelRegistry registry = ConfigOptions.registry(config);
             ReplaySink sink = toDirectory ? new DirectorySink(Path.of(out)) : new TopicSink(clients, out, application)) {
            var runner = ReplayRunner.of(config, registry, new ReplayRunner.Options(
                    topic == null ? config.get("topics.predictions") : topic, Bound.parse(from), Bound.parse(to), model, modelVersion,
                    compare.equals("none") ? null : compare, TrafficOptions.parseDuration(margin), tolerance, application));
            return replay(runner, sink, new ReportWriter(reportDir)) ? 0 : 3;
        }
    }

    /**
     * Runs a replay with a progress line, then writes and prints its report; true when nothing
     * differs, is missing, extra, failed or lost.
     */
    static boolean replay(ReplayRunner runner, ReplaySink sink, ReportWriter writer) {
        ReplayReport r;
        try (Progress progress = Progress.start("re-explained", "records", -1)) {
            r = runner.run(progress.listener(), sink, writer);
        }
        Path json = writer.json(r);
        Path html = writer.html(r);
        var c = r.counts();
        System.out.printf(Locale.ROOT, "scanned %d, sampled %d, re-explained %d in %.1f s: identical %d (%.1f %%), within tolerance %d, different %d, "
                + "what-if %d, missing from the original %d, extra %d, failed %d, lost on the way to the output %d%n", c.scanned(), c.sampled(),
                c.reExplained(), r.seconds(), c.identical(), 100 * c.identicalShare(), c.withinTolerance(), c.different(), c.whatIf(),
                c.missingFromOriginal(), c.extra(), c.failed(), c.lost());
        r.lost().stream().limit(5).forEach(l -> System.out.println("  lost " + l));
        System.out.println("report: " + json + " and " + html);
        return c.clean();
    }
}

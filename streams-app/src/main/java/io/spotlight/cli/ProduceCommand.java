package io.spotlight.cli;

import io.spotlight.app.SpotlightApplication;
import io.spotlight.demo.DemoProducer;
import io.spotlight.demo.DemoTraffic;
import io.spotlight.kafka.KafkaClients;
import io.spotlight.model.ModelRegistry;
import io.spotlight.topology.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import io.spotlight.app.StreamsSettings;

@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Publishes the demo's traffic to a Kafka cluster: the shipped models run over their sample inputs as a model server would, real prediction events with a few broken ones, the true labels of a share of them later, and the watermark incident part-way (docker-compose runs this as its producer).")
final class ProduceCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Mixin
    TrafficOptions traffic;

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (overrides bootstrap.servers).")
    String bootstrap;

    @Override
    public Integer call() throws Exception {
        var config = options.load("bootstrap.servers", bootstrap);
        String servers = config.get("bootstrap.servers");
        KafkaClients clients = KafkaClients.of(config);
        clients.checkAccess(SpotlightApplication.ACCESS_TIMEOUT);
        if (config.bool("topics.create")) {
            try (Admin admin = clients.admin("spotlight-produce-topics")) {
                List<String> topics = new ArrayList<>(traffic.topics(ModelRegistry.ids(Path.of(config.get("models.registry"))), config));
                topics.add(config.get("topics.labels"));
                Topics.ensure(admin, topics,
                        config.integer("topics.partitions"), StreamsSettings.replication(config));
            }
        }
        try (ModelRegistry registry = ConfigOptions.registry(config, "cpu")) {
            long incidentFrom = traffic.incidentEvent();
            DemoTraffic events = traffic.demoTraffic(registry);
            try (DemoProducer producer = traffic.producer(events, config)) {
                Thread t = TrafficOptions.start(producer, "spotlight-producer");
                Runtime.getRuntime().addShutdownHook(new Thread(producer::stop));
                long start = System.nanoTime();
                var limit = traffic.limit();
                while (t.isAlive() && TrafficOptions.withinLimit(limit, start)) {
                    t.join(5000);
                    System.out.printf(Locale.ROOT, "spotlight produce: %d predictions, %d labels sent to %s%s%n", producer.sent(),
                            producer.labelled(), servers, events.incident() != null && producer.sent() >= incidentFrom ? " (incident running)" : "");
                }
                producer.stop();
                t.join(5000);
                if (producer.failure() != null) {
                    throw new IllegalStateException("producing failed: " + clients.describe(producer.failure())
                            .orElse(producer.failure().getMessage()), producer.failure());
                }
            }
        }
        return 0;
    }
}

package io.spotlight.cli;

import io.spotlight.demo.DemoProducer;
import io.spotlight.demo.DemoTraffic;
import io.spotlight.model.ModelRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
        if (config.bool("topics.create")) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
                io.spotlight.topology.Topics.ensure(admin, List.of(config.get("topics.predictions"), config.get("topics.labels")),
                        config.integer("topics.partitions"), io.spotlight.app.StreamsSettings.replication(config));
            }
        }
        try (ModelRegistry registry = ConfigOptions.registry(config, "cpu")) {
            long incidentFrom = traffic.incidentEvent();
            DemoTraffic events = traffic.demoTraffic(registry);
            try (DemoProducer producer = traffic.producer(events, servers, config)) {
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
                    throw new IllegalStateException("producing failed: " + producer.failure().getMessage(), producer.failure());
                }
            }
        }
        return 0;
    }
}

package io.spotlight.app;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.kafka.KafkaClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka Streams properties for a configuration: exactly-once, poll sizing for slow explanations,
 * then the deployment's client configuration ({@link KafkaClients}: address, security, kafka.* keys).
 */
public final class StreamsSettings {

    private StreamsSettings() {}

    public static Properties of(SpotlightConfig config) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.get("application.id"));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // A poll's records may each trigger a batch of explanations: keep polls small and the
        // allowed interval long, so a slow batch never gets the thread thrown out of the group.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), config.integer("explain.max-poll-records"));
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), config.integer("explain.max-poll-interval-ms"));
        // Bad records never reach a handler (validate dead-letters them); this only opts in to Kafka 5's default early.
        p.put("processing.exception.handler.global.enabled", "true");
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.integer("topics.replication"));
        String stateDir = config.get("state.dir");
        try {
            p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.isBlank()
                    ? Files.createTempDirectory("spotlight-state").toString() : Path.of(stateDir).toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        p.putAll(KafkaClients.of(config).streams());
        return p;
    }
}

package io.spotlight.app;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.kafka.KafkaClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;

/**
 * Kafka Streams properties for a configuration: exactly-once, poll sizing for slow explanations,
 * the exception handlers, static membership on a persistent state directory, the cluster's
 * replication defaults, then the deployment's client configuration ({@link KafkaClients}: address,
 * security, the passthrough kafka.* keys; last, so they win).
 */
public final class StreamsSettings {

    /** Long enough for a batch of explanations (checked at start-up); Kafka Streams' own default of 10 s is not. */
    static final int TRANSACTION_TIMEOUT_MS = 30_000;

    private StreamsSettings() {}

    public static Properties of(SpotlightConfig config, Map<String, Object> errorHandling) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.get("application.id"));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // A poll's records may each trigger a batch of explanations: keep polls small and the
        // allowed interval long, so a slow batch never gets the thread thrown out of the group.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), config.integer("explain.max-poll-records"));
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), config.integer("explain.max-poll-interval-ms"));
        // An idle input must be noticed within explain.idle-ms (punctuation runs when a poll returns).
        p.put(StreamsConfig.POLL_MS_CONFIG, config.longValue("explain.idle-ms"));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), TRANSACTION_TIMEOUT_MS);
        // The stores are small (the label join holds no inputs) and restored from their changelogs after a crash
        // anyway: in memory, a restart does not wipe and reopen RocksDB stores first.
        p.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.putAll(errorHandling);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replication(config));
        Path stateDir = stateDir(config);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // Static membership: a restarted instance takes its partitions back at once, without a rebalance
        // and without waiting for its predecessor's session to expire.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), config.get("application.id") + "-" + instanceId(stateDir));
        p.putAll(KafkaClients.of(config).streams());
        return p;
    }

    /** topics.replication, or -1 (the cluster's default.replication.factor) when empty. */
    public static short replication(SpotlightConfig config) {
        String r = config.get("topics.replication").trim();
        return r.isEmpty() ? -1 : Short.parseShort(r);
    }

    /** state.dir, or ~/.spotlight/state when empty: a directory that outlives the process, so restarts keep their identity and attempt counts. */
    public static Path stateDir(SpotlightConfig config) {
        String dir = config.get("state.dir").trim();
        return dir.isEmpty() ? Path.of(System.getProperty("user.home"), ".spotlight", "state") : Path.of(dir);
    }

    /** This instance's id, made once and kept in its state directory. */
    static String instanceId(Path stateDir) {
        Path file = stateDir.resolve("spotlight-instance-id");
        try {
            Files.createDirectories(stateDir);
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            String id = UUID.randomUUID().toString();
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep this instance's id in state.dir " + stateDir, e);
        }
    }
}

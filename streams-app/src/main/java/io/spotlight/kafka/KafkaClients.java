package io.spotlight.kafka;

import io.spotlight.config.SpotlightConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The one Kafka client configuration of a deployment. Every client Spotlight makes (Kafka
 * Streams, the topic-creating admin, the readers of the web view, replay, baseline and the demo's
 * summary, the explanation latency consumer, the producers of produce, demo and replay) is built here from {@code bootstrap.servers}
 * and the {@code kafka.*} settings, so a secured cluster's settings (security.protocol, sasl.*,
 * ssl.*, config.providers) reach them all.
 *
 * <p>{@code kafka.X} goes to Kafka Streams unchanged and to every other client, except Streams'
 * own settings (num.stream.threads, ...) and keys under the client prefixes Streams reads:
 * {@code kafka.admin.X}, {@code kafka.consumer.X} and {@code kafka.producer.X} reach that kind of
 * client only (Streams' clients of that kind included). What a client must have to be correct
 * (read_committed, no commits, acks=all, idempotence) is fixed here and not overridden.
 */
public final class KafkaClients {

    /** The kinds of plain client, each with the prefix that addresses it alone (as Kafka Streams reads it). */
    public enum Kind {
        ADMIN(StreamsConfig.ADMIN_CLIENT_PREFIX, AdminClientConfig.configNames()),
        CONSUMER(StreamsConfig.CONSUMER_PREFIX, ConsumerConfig.configNames()),
        PRODUCER(StreamsConfig.PRODUCER_PREFIX, ProducerConfig.configNames());

        private final String prefix;
        private final Set<String> names;

        Kind(String prefix, Set<String> names) {
            this.prefix = prefix;
            this.names = names;
        }
    }

    /** Prefixes Kafka Streams gives meaning to; a key under one of them is not a plain client's setting. */
    private static final List<String> STREAMS_PREFIXES = List.of(StreamsConfig.ADMIN_CLIENT_PREFIX, StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.PRODUCER_PREFIX, StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.TOPIC_PREFIX);

    /** The client id of {@link #checkAccess}'s admin client. */
    static final String ACCESS_CHECK = "spotlight-access-check";

    private static final Pattern JAAS_USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    private final String bootstrap;
    private final Map<String, String> settings;

    private KafkaClients(String bootstrap, Map<String, String> settings) {
        this.bootstrap = bootstrap;
        this.settings = Map.copyOf(settings);
    }

    public static KafkaClients of(SpotlightConfig config) {
        return new KafkaClients(config.get("bootstrap.servers"), config.withPrefix("kafka."));
    }

    /** Clients of an unsecured broker (the in-process one of the demo and the tests): the address alone. */
    public static KafkaClients plaintext(String bootstrap) {
        return new KafkaClients(bootstrap, Map.of());
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    /** Kafka Streams' share: the address and every kafka.* key, prefixes included (Streams reads them itself). */
    public Map<String, Object> streams() {
        Map<String, Object> p = new TreeMap<>(settings);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    /** The settings of one plain client: the common kafka.* keys, then the kind's own, then the client id. */
    public Map<String, Object> settings(Kind kind, String clientId) {
        Map<String, Object> p = new HashMap<>();
        settings.forEach((k, v) -> {
            if (STREAMS_PREFIXES.stream().noneMatch(k::startsWith) && (kind.names.contains(k) || !StreamsConfig.configDef().names().contains(k))) {
                p.put(k, v);
            }
        });
        settings.forEach((k, v) -> {
            if (k.startsWith(kind.prefix)) {
                p.put(k.substring(kind.prefix.length()), v);
            }
        });
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return p;
    }

    public Admin admin(String clientId) {
        return Admin.create(settings(Kind.ADMIN, clientId));
    }

    /**
     * A consumer that reads committed records only, in no group and committing nothing: the running
     * application's offsets are never touched. Callers assign partitions themselves.
     */
    public KafkaConsumer<String, byte[]> reader(String clientId) {
        Map<String, Object> p = settings(Kind.CONSUMER, clientId);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A consumer that reads committed records only, in a group of its own so that the instances
     * share the partitions, committing nothing: every assignment starts at the end of its partition.
     */
    public KafkaConsumer<String, byte[]> member(String clientId, String group, String instance) {
        Map<String, Object> p = settings(Kind.CONSUMER, clientId);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        // Static membership: a restarted member takes its partitions back at once instead of waiting for its predecessor's session to expire.
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** A producer that loses nothing it acknowledges (acks=all, idempotent), with the caller's tuning (linger, ...). */
    public KafkaProducer<String, byte[]> producer(String clientId, Map<String, Object> tuning) {
        Map<String, Object> p = settings(Kind.PRODUCER, clientId);
        p.putAll(tuning);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Connects and authenticates once, so that a wrong address, protocol or password is reported
     * in one sentence before anything else starts.
     *
     * @throws KafkaAccessException naming what failed
     */
    public void checkAccess(Duration timeout) {
        Admin admin;
        try {
            admin = admin(ACCESS_CHECK);
        } catch (KafkaException e) {
            throw new KafkaAccessException("the Kafka client settings do not work (" + who() + "): " + rootMessage(e), e);
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis())).clusterId()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaAccessException("interrupted while connecting to Kafka at " + bootstrap, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            String noAnswer = "no answer from Kafka at " + bootstrap + " within " + timeout.toSeconds() + " s (" + who()
                    + "): check bootstrap.servers, and that kafka.security.protocol is what the listener expects";
            throw new KafkaAccessException(describe(cause).orElseGet(() -> cause instanceof TimeoutException
                    || cause instanceof org.apache.kafka.common.errors.TimeoutException ? noAnswer
                    : "Kafka at " + bootstrap + " failed the first request (" + who() + "): " + rootMessage(cause)), cause);
        } finally {
            // Nothing is pending once the answer (or the timeout) is in: close without waiting.
            admin.close(Duration.ZERO);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    /** Who this configuration connects as, for messages: the SASL user and mechanism, or the protocol. */
    String who() {
        String protocol = settings.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT").toUpperCase(Locale.ROOT);
        if (!protocol.startsWith("SASL")) {
            return "security.protocol " + protocol;
        }
        Matcher user = JAAS_USERNAME.matcher(settings.getOrDefault(SaslConfigs.SASL_JAAS_CONFIG, ""));
        return (user.find() ? "SASL user '" + user.group(1) + "'" : "SASL") + " with " + settings.getOrDefault(SaslConfigs.SASL_MECHANISM,
                SaslConfigs.DEFAULT_SASL_MECHANISM) + " over " + protocol;
    }

    /** A sentence for a refused authentication or authorization anywhere in a failure's causes, if there is one. */
    public Optional<String> describe(Throwable failure) {
        return KafkaAccessException.refusal(failure).map(t -> t instanceof AuthenticationException
                ? "Kafka at " + bootstrap + " refused to authenticate " + who() + ": " + t.getMessage()
                        + " (check kafka.sasl.jaas.config and the kafka.ssl.* settings)"
                : "Kafka at " + bootstrap + " denied " + who() + ": " + t.getMessage()
                        + " (the principal lacks an ACL; `spotlight acls` lists those this configuration needs)");
    }
}

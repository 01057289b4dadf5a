package io.spotlight.kafka;

import io.spotlight.config.SpotlightConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka inside this JVM (KRaft, broker and controller combined), for the demo
 * and the integration tests: formatted with the latest production metadata version and feature
 * levels, listening on 127.0.0.1 only, replication factor 1 for its internal topics. Its data lives
 * in a temporary directory removed on {@link #close()}; close it explicitly.
 *
 * <p>{@link #start(Security)} starts it secured as a production cluster is: every listener asks
 * for SASL (SCRAM-SHA-512 for users created with {@link #createUser}, PLAIN for the static ones),
 * optionally over TLS, and the StandardAuthorizer lets a principal do only what an ACL grants
 * ({@link #grant}); the broker itself and the administrator are the super user {@value #ADMIN}.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    /** The super user: the broker's own principal and the administrator's. */
    public static final String ADMIN = "admin";
    public static final String SCRAM = "SCRAM-SHA-512";

    /**
     * How the secured broker asks clients to prove who they are.
     *
     * @param adminPassword the super user's password (PLAIN)
     * @param plainUsers further PLAIN users and their passwords (fixed at start, as PLAIN's are)
     * @param tls the broker's key and the clients' trust, or null for SASL over plain TCP
     */
    public record Security(String adminPassword, Map<String, String> plainUsers, Tls tls) {}

    /** PKCS12 stores: the broker's key (its certificate names 127.0.0.1) and a trust store that holds its certificate. */
    public record Tls(Path keystore, Path truststore, String password) {}

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final String bootstrap;
    private final Security security;

    private EmbeddedKafka(KafkaRaftServer server, Path dataDir, String bootstrap, Security security) {
        this.server = server;
        this.dataDir = dataDir;
        this.bootstrap = bootstrap;
        this.security = security;
    }

    /** An unsecured broker: PLAINTEXT, no authorizer. */
    public static EmbeddedKafka start() throws Exception {
        return start(null);
    }

    /** A broker secured as described, or unsecured when {@code security} is null. */
    public static EmbeddedKafka start(Security security) throws Exception {
        Path dataDir = Files.createTempDirectory("spotlight-kafka");
        int brokerPort = freePort();
        int controllerPort = freePort();
        String listener = security == null ? "PLAINTEXT" : "SECURED";
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        p.put("listeners", listener + "://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", listener + "://" + HOST + ":" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", listener);
        if (security == null) {
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        } else {
            secure(p, security);
        }
        p.put("log.dirs", dataDir.toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        // Records keep their producers' timestamps, which may lie weeks back (recorded traffic, tests on
        // a fixed clock); time retention would delete them half a minute after start. This broker lives
        // for one run: keep everything.
        p.put("log.retention.ms", "-1");
        for (String topic : List.of("offsets.topic", "transaction.state.log", "share.coordinator.state.topic")) {
            p.put(topic + ".replication.factor", "1");
            p.put(topic + ".num.partitions", "3");
        }
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");

        new Formatter()
                .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(dataDir.toString()))
                .setMetadataLogDirectory(dataDir.toString())
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setControllerListenerName("CONTROLLER")
                .run();
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
        String bootstrap = HOST + ":" + brokerPort;
        EmbeddedKafka kafka = new EmbeddedKafka(server, dataDir, bootstrap, security);
        try {
            server.startup();
            kafka.awaitReady(Duration.ofSeconds(60));
        } catch (Exception e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    /**
     * SASL on both listeners (the controller's too: its callers are authorized like any other),
     * PLAIN between broker and controller, SCRAM and PLAIN for clients, and ACLs enforced.
     */
    private static void secure(Properties p, Security security) {
        p.put("listener.security.protocol.map", "SECURED:" + (security.tls() == null ? "SASL_PLAINTEXT" : "SASL_SSL") + ",CONTROLLER:SASL_PLAINTEXT");
        StringBuilder plain = new StringBuilder(jaas("org.apache.kafka.common.security.plain.PlainLoginModule", ADMIN, security.adminPassword()));
        plain.setLength(plain.length() - 1);
        Map<String, String> users = new TreeMap<>(security.plainUsers());
        users.put(ADMIN, security.adminPassword());
        users.forEach((user, password) -> plain.append(" user_").append(user).append("=\"").append(password).append('"'));
        plain.append(';');
        p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name.secured.sasl.enabled.mechanisms", SCRAM + ",PLAIN");
        p.put("listener.name.secured.plain.sasl.jaas.config", plain.toString());
        p.put("listener.name.secured." + SCRAM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.put("listener.name.controller.plain.sasl.jaas.config", plain.toString());
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:" + ADMIN);
        p.put("allow.everyone.if.no.acl.found", "false");
        if (security.tls() != null) {
            Tls tls = security.tls();
            p.put("ssl.keystore.type", "PKCS12");
            p.put("ssl.keystore.location", tls.keystore().toString());
            p.put("ssl.keystore.password", tls.password());
            p.put("ssl.key.password", tls.password());
            p.put("ssl.truststore.type", "PKCS12");
            p.put("ssl.truststore.location", tls.truststore().toString());
            p.put("ssl.truststore.password", tls.password());
        }
    }

    private static String jaas(String module, String user, String password) {
        return module + " required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /**
     * The kafka.* settings with which Spotlight connects as this user: SCRAM-SHA-512 for users made
     * by {@link #createUser}, PLAIN for the static ones (and the super user); the broker's trust
     * store under TLS. Empty for an unsecured broker.
     */
    public Map<String, String> clientSettings(String user, String password) {
        Map<String, String> s = new TreeMap<>();
        if (security == null) {
            return s;
        }
        boolean plain = user.equals(ADMIN) || security.plainUsers().containsKey(user);
        s.put("kafka.security.protocol", security.tls() == null ? "SASL_PLAINTEXT" : "SASL_SSL");
        s.put("kafka.sasl.mechanism", plain ? "PLAIN" : SCRAM);
        s.put("kafka.sasl.jaas.config", jaas(plain ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule", user, password));
        if (security.tls() != null) {
            s.put("kafka.ssl.truststore.type", "PKCS12");
            s.put("kafka.ssl.truststore.location", security.tls().truststore().toString());
            s.put("kafka.ssl.truststore.password", security.tls().password());
        }
        return s;
    }

    /** Clients of the super user (all clients of an unsecured broker). */
    public KafkaClients adminClients() {
        Map<String, String> settings = new TreeMap<>(security == null ? Map.of() : clientSettings(ADMIN, security.adminPassword()));
        settings.put("bootstrap.servers", bootstrap);
        return KafkaClients.of(SpotlightConfig.defaults().with(settings));
    }

    /** A SCRAM-SHA-512 user, usable once this returns. */
    public void createUser(String user, String password) throws Exception {
        try (Admin admin = adminClients().admin("embedded-kafka-users")) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all().get();
        }
        // The credential reaches the broker through the metadata log: wait until it lets the user in.
        Map<String, String> settings = new TreeMap<>(clientSettings(user, password));
        settings.put("bootstrap.servers", bootstrap);
        KafkaClients clients = KafkaClients.of(SpotlightConfig.defaults().with(settings));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                clients.checkAccess(Duration.ofSeconds(10));
                return;
            } catch (KafkaAccessException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** Grants these ACLs, usable once this returns. */
    public void grant(Collection<AclBinding> acls) throws Exception {
        try (Admin admin = adminClients().admin("embedded-kafka-acls")) {
            admin.createAcls(acls).all().get();
            // The broker's authorizer learns them from the metadata log; it answers describeAcls itself.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!admin.describeAcls(AclBindingFilter.ANY).values().get().containsAll(acls)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker did not apply the ACLs within 30 s");
                }
                Thread.sleep(100);
            }
        }
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = adminClients().admin("embedded-kafka-ready")) {
            while (true) {
                Exception last = null;
                try {
                    if (!admin.describeCluster().nodes().get().isEmpty()) {
                        return;
                    }
                } catch (ExecutionException e) {
                    last = e;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("embedded Kafka not ready after " + timeout, last);
                }
                Thread.sleep(100);
            }
        }
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    /** A port free on 127.0.0.1 right now (the broker binds it a moment later). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.spotlight.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker (KRaft, broker and controller in one) in a JVM of its own, for the faults a
 * test must inflict on it while Spotlight runs: stopped (SIGTERM) and started again on the same
 * ports and data. Formatted once with the storage tool (--standalone); 127.0.0.1 only.
 */
public final class BrokerProcess implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private final Path dir;
    private final int port;
    private Process process;

    private BrokerProcess(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static BrokerProcess start(Path dir) throws Exception {
        int port = freePort();
        int controller = freePort();
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>(List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=" + HOST + ":" + controller,
                "listeners=PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controller,
                "advertised.listeners=PLAINTEXT://" + HOST + ":" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "auto.create.topics.enable=false",
                "group.initial.rebalance.delay.ms=0",
                "log.cleaner.dedupe.buffer.size=2097152",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.min.isr=1"));
        for (String topic : List.of("offsets.topic", "transaction.state.log", "share.coordinator.state.topic")) {
            lines.add(topic + ".replication.factor=1");
            lines.add(topic + ".num.partitions=3");
        }
        Files.write(dir.resolve("server.properties"), lines);
        Files.writeString(dir.resolve("logback.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="kafka.server.ReplicaManager" level="OFF"/>
                  <root level="WARN"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        Process format = java(dir, "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
                dir.resolve("server.properties").toString(), "--standalone").redirectOutput(dir.resolve("format.log").toFile()).start();
        if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IllegalStateException("formatting the broker failed: " + Files.readString(dir.resolve("format.log")));
        }
        BrokerProcess broker = new BrokerProcess(dir, port);
        broker.start();
        return broker;
    }

    /** Starts the broker (again), and waits until it answers. */
    public void start() throws Exception {
        process = java(dir, "kafka.Kafka", dir.resolve("server.properties").toString())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("the broker did not start; see " + dir.resolve("broker.log"), notYet);
                    }
                }
                Thread.sleep(200);
            }
        }
    }

    /** Stops it as an operator would (SIGTERM) and waits until it is gone. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** A JVM on this test's classpath (which holds the broker), logging at WARN to the broker's log. */
    private static ProcessBuilder java(Path dir, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-Dlogback.configurationFile=" + dir.resolve("logback.xml"), "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        Directories.delete(dir);
    }
}

package io.spotlight.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spotlight.config.SpotlightConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

    static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"spotlight\" password=\"pw\";";

    final KafkaClients clients = KafkaClients.of(SpotlightConfig.defaults().with(Map.of(
            "bootstrap.servers", "kafka-1:9093",
            "kafka.security.protocol", "SASL_SSL",
            "kafka.sasl.mechanism", "SCRAM-SHA-512",
            "kafka.sasl.jaas.config", JAAS,
            "kafka.ssl.truststore.location", "/etc/kafka/truststore.p12",
            "kafka.num.stream.threads", "4",
            "kafka.consumer.max.poll.records", "7",
            "kafka.producer.compression.type", "zstd")));

    @Test
    void securitySettingsReachEveryKindOfClient() {
        for (KafkaClients.Kind kind : KafkaClients.Kind.values()) {
            assertThat(clients.settings(kind, "c")).as(kind.name())
                    .containsEntry("bootstrap.servers", "kafka-1:9093")
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("sasl.jaas.config", JAAS)
                    .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
                    .containsEntry("client.id", "c");
        }
        assertThat(clients.streams()).containsEntry("bootstrap.servers", "kafka-1:9093").containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", JAAS);
    }

    @Test
    void streamsOwnSettingsStayWithStreamsAndPrefixedOnesReachTheirKindOnly() {
        assertThat(clients.streams()).containsEntry("num.stream.threads", "4").containsEntry("consumer.max.poll.records", "7")
                .containsEntry("producer.compression.type", "zstd");
        assertThat(clients.settings(KafkaClients.Kind.ADMIN, "c")).doesNotContainKeys("num.stream.threads", "max.poll.records", "compression.type",
                "consumer.max.poll.records");
        assertThat(clients.settings(KafkaClients.Kind.CONSUMER, "c")).containsEntry("max.poll.records", "7").doesNotContainKeys("compression.type",
                "num.stream.threads");
        assertThat(clients.settings(KafkaClients.Kind.PRODUCER, "c")).containsEntry("compression.type", "zstd").doesNotContainKey("max.poll.records");
    }

    @Test
    void aRefusalIsToldAsWhoWasRefusedWhereAndWhatToCheck() {
        assertThat(clients.describe(new RuntimeException(new SaslAuthenticationException("Authentication failed: invalid credentials"))))
                .hasValue("Kafka at kafka-1:9093 refused to authenticate SASL user 'spotlight' with SCRAM-SHA-512 over SASL_SSL: "
                        + "Authentication failed: invalid credentials (check kafka.sasl.jaas.config and the kafka.ssl.* settings)");
        assertThat(clients.describe(new TopicAuthorizationException("Not authorized to access topics: [predictions]")))
                .hasValueSatisfying(s -> assertThat(s).startsWith("Kafka at kafka-1:9093 denied SASL user 'spotlight'")
                        .contains("[predictions]").contains("spotlight acls"));
        assertThat(clients.describe(new IllegalStateException("something else"))).isEmpty();
        assertThat(KafkaClients.plaintext("localhost:9092").describe(new SaslAuthenticationException("x")))
                .hasValueSatisfying(s -> assertThat(s).contains("security.protocol PLAINTEXT"));
    }

    @Test
    void theAccessCheckTellsAnAddressThatDoesNotAnswerFromSettingsThatCannotWork() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        KafkaClients nobody = KafkaClients.plaintext("127.0.0.1:" + closed);
        long start = System.nanoTime();
        assertThatThrownBy(() -> nobody.checkAccess(Duration.ofSeconds(2))).isInstanceOf(KafkaAccessException.class)
                .hasMessageStartingWith("no answer from Kafka at 127.0.0.1:" + closed + " within 2 s (security.protocol PLAINTEXT)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("it does not wait for the client's own timeouts").isLessThan(Duration.ofSeconds(30));

        KafkaClients broken = KafkaClients.of(SpotlightConfig.defaults().with(Map.of("kafka.security.protocol", "SASL_PLAINTEXT",
                "kafka.sasl.mechanism", "PLAIN", "kafka.sasl.jaas.config", "no login module here")));
        assertThatThrownBy(() -> broken.checkAccess(Duration.ofSeconds(2))).isInstanceOf(KafkaAccessException.class)
                .hasMessageStartingWith("the Kafka client settings do not work (SASL with PLAIN over SASL_PLAINTEXT)");
    }
}

package io.spotlight.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {

    static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"spotlight\" password=\"s3cr3t-Pa55\";";

    @Test
    void passwordsTokensKeyMaterialAndJaasLinesAreSecretsAddressesAndNamesAreNot() {
        assertThat(Secrets.isSecret("kafka.sasl.jaas.config")).isTrue();
        assertThat(Secrets.isSecret("kafka.ssl.truststore.password")).isTrue();
        assertThat(Secrets.isSecret("kafka.ssl.keystore.key")).isTrue();
        assertThat(Secrets.isSecret("kafka.producer.ssl.key.password")).isTrue();
        assertThat(Secrets.isSecret("kafka.sasl.oauthbearer.client.credentials.client.secret")).isTrue();
        assertThat(Secrets.isSecret("web.password")).isTrue();
        assertThat(Secrets.isSecret("web.token")).isTrue();
        assertThat(Secrets.isSecret("metrics.token")).isTrue();
        assertThat(Secrets.isSecret("bootstrap.servers")).isFalse();
        assertThat(Secrets.isSecret("kafka.sasl.mechanism")).isFalse();
        assertThat(Secrets.isSecret("kafka.ssl.truststore.location")).isFalse();
        assertThat(Secrets.isSecret("kafka.sasl.oauthbearer.token.endpoint.url")).isFalse();
        assertThat(Secrets.isSecret("web.user")).isFalse();
    }

    @Test
    void aPrintedJaasLineKeepsItsModuleAndUserButNotItsPassword() {
        assertThat(Secrets.printable("kafka.sasl.jaas.config", JAAS))
                .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"spotlight\" password=\"[hidden]\";");
        assertThat(Secrets.printable("kafka.ssl.truststore.password", "changeit")).isEqualTo("[hidden]");
        assertThat(Secrets.printable("bootstrap.servers", "kafka:9092")).isEqualTo("kafka:9092");
        assertThat(Secrets.printable("web.token", "")).as("an unset secret shows as unset").isEmpty();
    }

    @Test
    void theEffectiveConfigurationShowsNoSecret() {
        SpotlightConfig c = SpotlightConfig.load(null, Map.of("SPOTLIGHT_WEB_PASSWORD", "hunter2-hunter2"),
                Map.of("kafka.sasl.jaas.config", JAAS));
        assertThat(c.printable().toString()).doesNotContain("s3cr3t-Pa55").doesNotContain("hunter2-hunter2").contains("username=\"spotlight\"");
        assertThat(c.get("web.password")).as("the value itself is intact").isEqualTo("hunter2-hunter2");
    }

    @Test
    void aLoadedConfigurationsSecretsAreTakenOutOfAnyText() {
        SpotlightConfig.load(null, Map.of(), Map.of("kafka.sasl.jaas.config", JAAS, "web.token", "tok-0123456789", "kafka.ssl.key.password", "abc"));
        assertThat(Secrets.redact("login as spotlight with s3cr3t-Pa55 failed; token tok-0123456789 refused"))
                .isEqualTo("login as spotlight with [hidden] failed; token [hidden] refused");
        assertThat(Secrets.redact("connecting with " + JAAS)).doesNotContain("s3cr3t-Pa55").contains("username=\"spotlight\"");
        assertThat(Secrets.redact("a password=elsewhere, client_secret: x")).isEqualTo("a password=\"[hidden]\", client_secret: x");
        assertThat(Secrets.redact("abc is too short to hide in free text")).as("short values would blank ordinary words")
                .isEqualTo("abc is too short to hide in free text");
    }
}

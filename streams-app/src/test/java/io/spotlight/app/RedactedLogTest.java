package io.spotlight.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import io.spotlight.config.SpotlightConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped logback.xml: what Spotlight logs, messages and exceptions alike, never shows a configured secret. */
class RedactedLogTest {

    @Test
    void secretsInLoggedMessagesAndExceptionsAreHidden() throws Exception {
        SpotlightConfig.load(null, Map.of(), Map.of("web.password", "correct-horse-battery", "kafka.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"spotlight\" password=\"p4ssw0rd-plain\";"));
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(RedactedLogTest.class.getResource("/logback.xml"));
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            var log = context.getLogger("io.spotlight.test");
            log.warn("basic login with correct-horse-battery refused");
            log.error("client failed", new IllegalStateException("jaas: password=\"p4ssw0rd-plain\"",
                    new RuntimeException("cause mentions correct-horse-battery")));
        } finally {
            System.setErr(err);
            context.stop();
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("basic login with [hidden] refused").contains("IllegalStateException").contains("cause mentions [hidden]")
                .contains("\tat ");
        assertThat(out).doesNotContain("correct-horse-battery").doesNotContain("p4ssw0rd-plain");
    }
}

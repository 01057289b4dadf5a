package io.spotlight.testing;

import io.spotlight.kafka.EmbeddedKafka;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker in the test's JVM for one test class: started before its first test, closed
 * after its last. Register it as a static field with {@code @RegisterExtension}.
 */
public final class InProcessBroker implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        kafka = EmbeddedKafka.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        kafka.close();
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }
}

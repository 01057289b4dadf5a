package io.spotlight.testing;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.topology.Topics;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** The topics a configuration names, created before the traffic starts (as they would be in production). */
public final class TestTopics {

    private TestTopics() {}

    public static void ensure(String bootstrap, SpotlightConfig config) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Topics.ensure(admin, Topics.from(config).all(), 3, (short) 1);
        }
    }
}

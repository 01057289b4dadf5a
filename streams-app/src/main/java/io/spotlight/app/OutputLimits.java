package io.spotlight.app;

import io.spotlight.containment.RecordLimits;
import io.spotlight.validation.TimeBounds;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the topics Spotlight writes accept, asked of the broker at start-up: the largest record
 * (max.message.bytes) and how far a record's timestamp may be from the broker's clock
 * (message.timestamp.after.max.ms / before.max.ms). The configured limits are tightened to fit, so
 * that no output can be refused.
 */
record OutputLimits(RecordLimits records, TimeBounds time) {

    private static final Logger log = LoggerFactory.getLogger(OutputLimits.class);

    static OutputLimits of(Admin admin, Collection<String> outputs, RecordLimits records, TimeBounds time)
            throws InterruptedException, ExecutionException {
        Set<String> existing = admin.listTopics().names().get();
        List<ConfigResource> topics = outputs.stream().filter(existing::contains).map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(topics).all().get();
        int maxBytes = Integer.MAX_VALUE;
        long after = Long.MAX_VALUE;
        long before = Long.MAX_VALUE;
        for (Config c : configs.values()) {
            maxBytes = Math.min(maxBytes, (int) value(c, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.MAX_VALUE));
            after = Math.min(after, value(c, TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, Long.MAX_VALUE));
            before = Math.min(before, value(c, TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, Long.MAX_VALUE));
        }
        OutputLimits limits = new OutputLimits(records.atMost(maxBytes), time.within(Duration.ofMillis(after), Duration.ofMillis(before)));
        log.info("outputs: records of at most {} bytes; event time at most {} ahead{}", limits.records().maxRecordBytes(), limits.time().maxFuture(),
                limits.time().maxAge().isZero() ? "" : " and " + limits.time().maxAge() + " behind");
        return limits;
    }

    private static long value(Config c, String name, long absent) {
        ConfigEntry e = c.get(name);
        return e == null || e.value() == null ? absent : Long.parseLong(e.value());
    }
}

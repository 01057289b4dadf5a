package io.spotlight.kafka;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.topology.Topics;
import io.spotlight.validation.SourceTopic;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs a principal needs for what a configuration does, and nothing more: derived from the
 * topic names, topics.create and application.id, so they follow the configuration.
 */
public final class ApplicationAcls {

    private ApplicationAcls() {}

    /**
     * Spotlight itself ({@code run}, every role, with the web view) and its readers ({@code replay},
     * {@code baseline --from-topic}): read the inputs; read and write its own topics; create its
     * topics when topics.create is on; Kafka Streams' internal topics, consumer group and
     * transactional ids, and the explanation latency consumer's group, all named after application.id.
     */
    public static List<AclBinding> application(SpotlightConfig config, String principal) {
        List<String> inputs = inputs(config);
        List<String> all = new ArrayList<>(inputs);
        Topics.from(config).all().stream().filter(t -> !all.contains(t)).forEach(all::add);
        List<AclBinding> acls = new ArrayList<>();
        for (String topic : all) {
            acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
            if (!inputs.contains(topic)) {
                acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
                // Start-up reads each output's max.message.bytes and timestamp limits so no send can be refused.
                acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE_CONFIGS));
            }
        }
        creation(config, all, principal, acls);
        String app = config.get("application.id");
        // Changelog and repartition topics are <application.id>-<name>-<suffix>; Streams creates, reads, writes, purges and configures them.
        acls.add(allow(principal, ResourceType.TOPIC, app + "-", PatternType.PREFIXED, AclOperation.ALL));
        acls.add(allow(principal, ResourceType.GROUP, app, PatternType.LITERAL, AclOperation.READ));
        acls.add(allow(principal, ResourceType.GROUP, latencyGroup(app), PatternType.LITERAL, AclOperation.READ));
        // exactly_once_v2: one transactional id per stream thread, <application.id>-<process id>-<thread>.
        acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, app + "-", PatternType.PREFIXED, AclOperation.WRITE));
        return acls;
    }

    /** The group of the consumer that measures when explanations are committed: the instances of one application share it. */
    public static String latencyGroup(String applicationId) {
        return applicationId + "-latency";
    }

    /** What publishes predictions and labels ({@code produce}, or the model server): write them, create them when topics.create is on. */
    public static List<AclBinding> producer(SpotlightConfig config, String principal) {
        List<String> topics = inputs(config);
        List<AclBinding> acls = new ArrayList<>();
        topics.forEach(t -> acls.add(allow(principal, ResourceType.TOPIC, t, PatternType.LITERAL, AclOperation.WRITE)));
        creation(config, topics, principal, acls);
        return acls;
    }

    /** A replay that writes its re-explained events to a topic (it reads as {@link #application} does). */
    public static List<AclBinding> replayOutput(String topic, String principal) {
        return List.of(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
    }

    /** The topics predictions arrive on (input.sources, else topics.predictions) and the labels topic. */
    private static List<String> inputs(SpotlightConfig config) {
        List<String> inputs = new ArrayList<>(SourceTopic.from(config).stream().map(SourceTopic::topic).toList());
        inputs.add(config.get("topics.labels"));
        return inputs;
    }

    private static void creation(SpotlightConfig config, List<String> topics, String principal, List<AclBinding> acls) {
        if (config.bool("topics.create")) {
            topics.forEach(t -> acls.add(allow(principal, ResourceType.TOPIC, t, PatternType.LITERAL, AclOperation.CREATE)));
        }
    }

    private static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern), new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}

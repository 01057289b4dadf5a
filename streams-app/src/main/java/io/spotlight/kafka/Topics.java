package io.spotlight.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the topics that are missing; existing ones are left exactly as they are. */
public final class Topics {

    private static final Logger log = LoggerFactory.getLogger(Topics.class);

    private Topics() {}

    public static List<String> ensure(Admin admin, Collection<String> names, int partitions, short replication)
            throws InterruptedException, ExecutionException {
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = new ArrayList<>();
        for (String name : names) {
            if (!existing.contains(name)) {
                missing.add(new NewTopic(name, partitions, replication));
            }
        }
        if (missing.isEmpty()) {
            return List.of();
        }
        try {
            admin.createTopics(missing).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        List<String> created = missing.stream().map(NewTopic::name).toList();
        log.info("created topics {} ({} partitions, replication {})", created, partitions, replication);
        return created;
    }
}

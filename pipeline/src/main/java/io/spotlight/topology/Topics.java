package io.spotlight.topology;

import io.spotlight.config.SpotlightConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The topic names of one deployment, and the creation of those that are missing. */
public record Topics(String predictions, String explanations, String deadLetter, String explainRequests,
                     String labels, String misclassifications, String attentionDrift, String alerts) {

    private static final Logger log = LoggerFactory.getLogger(Topics.class);

    public List<String> all() {
        return List.of(predictions, explanations, deadLetter, explainRequests, labels, misclassifications, attentionDrift, alerts);
    }

    /** The topics Spotlight writes. */
    public List<String> outputs() {
        return List.of(explanations, deadLetter, explainRequests, misclassifications, attentionDrift, alerts);
    }

    public static Topics from(SpotlightConfig c) {
        return new Topics(c.get("topics.predictions"), c.get("topics.explanations"), c.get("topics.dead-letter"),
                c.get("topics.explain-requests"), c.get("topics.labels"), c.get("topics.misclassifications"),
                c.get("topics.attention-drift"), c.get("topics.alerts"));
    }

    /**
     * Creates the named topics that are missing (replication -1: the cluster's default); existing
     * ones are left exactly as they are. Returns those created.
     */
    public static List<String> ensure(Admin admin, Collection<String> names, int partitions, short replication)
            throws InterruptedException, ExecutionException {
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = new ArrayList<>();
        for (String name : names) {
            if (!existing.contains(name)) {
                missing.add(new NewTopic(name, Optional.of(partitions), replication < 0 ? Optional.empty() : Optional.of(replication)));
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
        log.info("created topics {} ({} partitions, replication {})", created, partitions, replication < 0 ? "of the cluster's default" : replication);
        return created;
    }
}

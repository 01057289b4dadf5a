package io.spotlight.topology;

import io.spotlight.config.SpotlightConfig;
import java.util.List;

/** The topic names of one deployment. */
public record Topics(String predictions, String explanations, String deadLetter, String explainRequests,
                     String labels, String misclassifications, String attentionDrift, String alerts) {

    public List<String> all() {
        return List.of(predictions, explanations, deadLetter, explainRequests, labels, misclassifications, attentionDrift, alerts);
    }

    public static Topics from(SpotlightConfig c) {
        return new Topics(c.get("topics.predictions"), c.get("topics.explanations"), c.get("topics.dead-letter"),
                c.get("topics.explain-requests"), c.get("topics.labels"), c.get("topics.misclassifications"),
                c.get("topics.attention-drift"), c.get("topics.alerts"));
    }
}

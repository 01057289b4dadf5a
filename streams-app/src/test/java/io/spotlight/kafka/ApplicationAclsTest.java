package io.spotlight.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.config.SpotlightConfig;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** The least-privilege ACLs follow the configuration; SecuredKafkaIT proves on a real broker that they are enough. */
class ApplicationAclsTest {

    static List<String> describe(List<AclBinding> acls) {
        return acls.stream().map(a -> a.pattern().resourceType() + " " + a.pattern().name() + (a.pattern().patternType() == PatternType.PREFIXED ? "*" : "")
                + " " + a.entry().operation()).toList();
    }

    @Test
    void spotlightReadsItsInputsAndOwnsOnlyItsTopicsGroupAndTransactions() {
        SpotlightConfig c = SpotlightConfig.defaults().with(Map.of("application.id", "spot-prod", "topics.predictions", "model-a.predictions",
                "topics.create", "false"));
        List<String> acls = describe(ApplicationAcls.application(c, "User:spotlight"));
        assertThat(acls).contains("TOPIC model-a.predictions READ", "TOPIC labels READ", "TOPIC explanations WRITE", "TOPIC explanations DESCRIBE_CONFIGS", "TOPIC spotlight-dlq WRITE",
                "TOPIC spot-prod-* ALL", "GROUP spot-prod READ", "GROUP spot-prod-latency READ", "TRANSACTIONAL_ID spot-prod-* WRITE");
        assertThat(acls).doesNotContain("TOPIC model-a.predictions WRITE", "TOPIC labels WRITE", "TOPIC labels DESCRIBE_CONFIGS").noneMatch(a -> a.endsWith("CREATE"))
                .noneMatch(a -> a.startsWith("CLUSTER"));
        assertThat(ApplicationAcls.application(c, "User:spotlight")).allSatisfy(a -> assertThat(a.entry().principal()).isEqualTo("User:spotlight"));
    }

    @Test
    void creatingTopicsAddsCreateOnTheNamedTopicsOnly() {
        List<AclBinding> acls = ApplicationAcls.application(SpotlightConfig.defaults(), "User:spotlight");
        assertThat(acls.stream().filter(a -> a.entry().operation() == AclOperation.CREATE))
                .allSatisfy(a -> assertThat(a.pattern().patternType()).isEqualTo(PatternType.LITERAL)).hasSize(8);
        assertThat(describe(ApplicationAcls.producer(SpotlightConfig.defaults(), "User:model-server")))
                .containsExactlyInAnyOrder("TOPIC predictions WRITE", "TOPIC labels WRITE", "TOPIC predictions CREATE", "TOPIC labels CREATE");
        assertThat(ApplicationAcls.replayOutput("audit", "User:spotlight")).singleElement()
                .satisfies(a -> assertThat(a.pattern().resourceType()).isEqualTo(ResourceType.TOPIC));
    }
}

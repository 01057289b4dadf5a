package io.spotlight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.kafka.ApplicationAcls;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AclsCommandTest {

    @Test
    void eachBindingIsAKafkaAclsCommandLine() {
        SpotlightConfig c = SpotlightConfig.defaults().with(Map.of("application.id", "spot", "topics.create", "false"));
        List<String> lines = ApplicationAcls.application(c, "User:spotlight").stream().map(AclsCommand::arguments).toList();
        assertThat(lines).contains(
                "--allow-principal User:spotlight --operation Read --topic predictions",
                "--allow-principal User:spotlight --operation Write --topic explanations",
                "--allow-principal User:spotlight --operation All --topic spot- --resource-pattern-type prefixed",
                "--allow-principal User:spotlight --operation Read --group spot",
                "--allow-principal User:spotlight --operation Write --transactional-id spot- --resource-pattern-type prefixed");
    }
}

package io.spotlight.cli;

import io.spotlight.kafka.ApplicationAcls;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.resource.PatternType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "acls", mixinStandardHelpOptions = true,
        description = "Prints, as kafka-acls.sh commands, the Kafka ACLs this configuration needs and nothing more: for Spotlight's principal (run in any role with the web view, replay, baseline --from-topic) and, if asked, for the principal that publishes predictions and labels (produce, or the model server). They follow the topic names, topics.create and application.id.")
final class AclsCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--principal", defaultValue = "User:spotlight", description = "Spotlight's principal (default: ${DEFAULT-VALUE}).")
    String principal;

    @Option(names = "--producer-principal", paramLabel = "PRINCIPAL", description = "Also the ACLs of the publisher of predictions and labels, e.g. User:model-server.")
    String producerPrincipal;

    @Option(names = "--replay-output", paramLabel = "TOPIC", description = "Also let Spotlight's principal write a replay's re-explained events to this topic.")
    String replayOutput;

    @Override
    public Integer call() {
        var config = options.load(Map.of());
        List<AclBinding> acls = new ArrayList<>(ApplicationAcls.application(config, principal));
        if (replayOutput != null) {
            acls.addAll(ApplicationAcls.replayOutput(replayOutput, principal));
        }
        if (producerPrincipal != null) {
            acls.addAll(ApplicationAcls.producer(config, producerPrincipal));
        }
        String prefix = "kafka-acls.sh --bootstrap-server " + config.get("bootstrap.servers") + " --command-config admin.properties --add";
        for (AclBinding acl : acls) {
            System.out.println(prefix + " " + arguments(acl));
        }
        return 0;
    }

    /** One binding as kafka-acls.sh arguments. */
    static String arguments(AclBinding acl) {
        String resource = switch (acl.pattern().resourceType()) {
            case TOPIC -> "--topic";
            case GROUP -> "--group";
            case TRANSACTIONAL_ID -> "--transactional-id";
            default -> throw new IllegalArgumentException("no kafka-acls.sh option for " + acl.pattern().resourceType());
        };
        String op = acl.entry().operation().name().toLowerCase(Locale.ROOT);
        return "--allow-principal " + acl.entry().principal() + " --operation " + Character.toUpperCase(op.charAt(0)) + op.substring(1)
                + " " + resource + " " + acl.pattern().name()
                + (acl.pattern().patternType() == PatternType.PREFIXED ? " --resource-pattern-type prefixed" : "");
    }
}

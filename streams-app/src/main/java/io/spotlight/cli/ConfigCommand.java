package io.spotlight.cli;

import io.spotlight.config.Setting;
import io.spotlight.config.SpotlightConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Lists every setting with its default and environment variable, or the effective values.")
final class ConfigCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--effective", description = "Print the values after file, environment and --set, as properties (secrets hidden: passwords, tokens, key material, the passwords of JAAS lines).")
    boolean effective;

    @Option(names = "--markdown", description = "Print the settings as a Markdown table (as in the README).")
    boolean markdown;

    @Override
    public Integer call() {
        if (effective) {
            options.load(Map.of()).printable().forEach((k, v) -> System.out.println(k + "=" + v));
            return 0;
        }
        if (markdown) {
            System.out.print(markdown());
            return 0;
        }
        for (Setting s : SpotlightConfig.SETTINGS) {
            System.out.printf("%-32s %-28s %s%n", s.key(), s.defaultValue().isEmpty() ? "\"\"" : s.defaultValue(), s.description());
        }
        System.out.println();
        System.out.println("Also: kafka.<any Kafka client or Streams key> (every client Spotlight makes; kafka.admin.*, kafka.consumer.*,");
        System.out.println("      kafka.producer.* for one kind), explain.plan.<model|default>.<reason>=m1,m2,");
        System.out.println("      explain.method.[<model>.]<method>.<parameter>=value (see spotlight methods), alerts.<model>.<figure>-threshold,");
        System.out.println("      alerts.<model>.windows, privacy.<model>.include-tokens, privacy.<model>.drop-attributes");
        return 0;
    }

    /** The README's table of settings. */
    static String markdown() {
        StringBuilder out = new StringBuilder("| key | default | environment | what it does |\n|---|---|---|---|\n");
        for (Setting s : SpotlightConfig.SETTINGS) {
            // A bar inside a cell would end it.
            out.append(String.format("| `%s` | `%s` | `%s` | %s |\n", s.key(), s.defaultValue(), s.environmentVariable(),
                    s.description().replace("|", "\\|")));
        }
        return out.toString();
    }
}

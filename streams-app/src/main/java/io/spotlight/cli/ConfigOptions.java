package io.spotlight.cli;

import io.spotlight.config.SpotlightConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** --config and --set, shared by the commands that run the application. */
final class ConfigOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Properties file (see `spotlight config` for every key). Environment variables SPOTLIGHT_<KEY> override it.")
    Path file;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Override one setting (repeatable), e.g. --set sampling.baseline-rate=0.1")
    Map<String, String> overrides = new LinkedHashMap<>();

    SpotlightConfig load(Map<String, String> commandDefaults) {
        Map<String, String> merged = new LinkedHashMap<>(commandDefaults);
        merged.putAll(overrides);
        return SpotlightConfig.load(file, System.getenv(), merged);
    }
}

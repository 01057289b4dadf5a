package io.spotlight.cli;

import io.spotlight.app.SpotlightApplication;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.model.ModelRegistry;
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

    /** {@link #load(Map)} with key = value as the command's default when the value is given (a flag that overrides a setting). */
    SpotlightConfig load(String key, String value) {
        return load(value == null ? Map.of() : Map.of(key, value));
    }

    /** The models of models.registry on models.device, with the engine started on models.threads. */
    static ModelRegistry registry(SpotlightConfig config) {
        return registry(config, config.get("models.device"));
    }

    /** The models of models.registry on this device, with the engine started on models.threads. */
    static ModelRegistry registry(SpotlightConfig config, String device) {
        return SpotlightApplication.loadRegistry(config, device);
    }
}

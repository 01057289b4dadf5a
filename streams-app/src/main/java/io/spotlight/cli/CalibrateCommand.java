package io.spotlight.cli;

import io.spotlight.benchmark.Calibration;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Measures, for every registered model, how long a batch of explanations (its low-confidence plan) takes with each chunk size (rows per forward/backward pass), and names the fastest. With --write, stores the choices in the registry file. (\"chunk\": \"auto\" in the registry does this at every start.)")
final class CalibrateCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--write", description = "Write the chosen chunk sizes into the registry file.")
    boolean write;

    @Override
    public Integer call() throws Exception {
        var config = options.load(Map.of());
        Path registryFile = Path.of(config.get("models.registry"));
        int batch = config.integer("explain.batch-size");
        Map<String, Integer> chosen = new LinkedHashMap<>();
        try (ModelRegistry registry = ConfigOptions.registry(config)) {
            var plan = io.spotlight.explanation.ExplanationPlan.from(config);
            for (LoadedModel m : registry.all()) {
                Map<Integer, Double> t = Calibration.measure(m, plan, batch);
                int best = Calibration.best(t);
                chosen.put(m.card().ref().toString(), best);
                System.out.printf(Locale.ROOT, "%s (batch of %d, ms by chunk):", m.card().ref(), batch);
                t.forEach((c, ms) -> System.out.printf(Locale.ROOT, "  %d: %.1f%s", c, ms, c == best ? "*" : ""));
                System.out.println();
            }
        }
        if (write) {
            RegistryFile.update(registryFile, (card, entry) -> {
                Integer best = chosen.get(card.ref().toString());
                if (best != null) {
                    entry.put("chunk", best);
                }
            });
            System.out.println("wrote " + registryFile);
        }
        return 0;
    }
}

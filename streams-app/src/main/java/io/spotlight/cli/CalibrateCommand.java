package io.spotlight.cli;

import io.spotlight.attribution.Calibration;
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
        description = "Measures, for every registered model, its forward+backward pass at each rung of the ladder of pass shapes (1, 2, 4, ... rows) and chooses its chunk (the rung whose rows cost least each) and pass overhead (what a pass costs beyond its rows, in rows). With --write, stores them in the registry file. (\"chunk\": \"auto\" in the registry does this at every start.)")
final class CalibrateCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--write", description = "Write the chosen chunk sizes and pass overheads into the registry file.")
    boolean write;

    @Override
    public Integer call() throws Exception {
        var config = options.load(Map.of());
        Path registryFile = Path.of(config.get("models.registry"));
        Map<String, Calibration.Result> chosen = new LinkedHashMap<>();
        try (ModelRegistry registry = ConfigOptions.registry(config)) {
            for (LoadedModel m : registry.all()) {
                Calibration.Result r = Calibration.measure(m);
                chosen.put(m.card().ref().toString(), r);
                System.out.printf(Locale.ROOT, "%s: chunk %d, pass overhead %.2f rows (ms per pass by rows:", m.card().ref(), r.chunk(), r.passOverhead());
                r.msPerPass().forEach((rows, ms) -> System.out.printf(Locale.ROOT, "  %d: %.2f%s", rows, ms, rows == r.chunk() ? "*" : ""));
                System.out.println(")");
            }
        }
        if (write) {
            RegistryFile.update(registryFile, (card, entry) -> {
                Calibration.Result r = chosen.get(card.ref().toString());
                if (r != null) {
                    entry.put("chunk", r.chunk());
                    entry.put("pass-overhead", r.passOverhead());
                }
            });
            System.out.println("wrote " + registryFile);
        }
        return 0;
    }
}

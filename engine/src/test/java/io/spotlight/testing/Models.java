package io.spotlight.testing;

import ai.djl.Device;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelCard;
import io.spotlight.model.ModelSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The shipped models (models/ at the repository root) and the test-only ones, loaded once per JVM. */
public final class Models {

    private static final Map<String, LoadedModel> CACHE = new ConcurrentHashMap<>();

    private Models() {}

    public static Path shipped(String dir) {
        return Repository.root().resolve("models").resolve(dir).resolve("model.json");
    }

    public static Path testOnly(String dir) {
        return Repository.root().resolve("engine/src/test/resources/models").resolve(dir).resolve("model.json");
    }

    /** A shipped model by directory name (fashion-cnn, fashion-cnn-shortcut, fashion-vit, review-sentiment). */
    public static LoadedModel shippedModel(String dir) {
        return CACHE.computeIfAbsent("shipped/" + dir, k -> load(shipped(dir), 64));
    }

    public static LoadedModel testModel(String dir) {
        return CACHE.computeIfAbsent("test/" + dir, k -> load(testOnly(dir), 64));
    }

    public static LoadedModel load(Path card, int chunk) {
        return LoadedModel.load(ModelCard.load(card), Device.cpu(), new ModelSettings(chunk));
    }
}

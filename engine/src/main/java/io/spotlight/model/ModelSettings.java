package io.spotlight.model;

/**
 * How a model is run: {@code chunk} is the most rows (records x integration steps or noise
 * samples) sent through one forward+backward. Small models want large chunks; big models on CPU
 * want small ones (memory traffic dominates), so it is per model; {@code calibrate} asks for it to be
 * measured at start-up (registry: "chunk": "auto").
 */
public record ModelSettings(int chunk, boolean calibrate) {

    public static final ModelSettings DEFAULT = new ModelSettings(64, false);

    public ModelSettings(int chunk) {
        this(chunk, false);
    }

    public ModelSettings {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        }
    }
}

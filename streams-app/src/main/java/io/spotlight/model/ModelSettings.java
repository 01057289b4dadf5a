package io.spotlight.model;

/**
 * How a model is run: {@code chunk} is the most rows (records x integration steps or noise
 * samples) sent through one forward+backward. Small models want large chunks; big models on CPU
 * want small ones (memory traffic dominates), so it is per model and can be calibrated.
 */
public record ModelSettings(int chunk) {

    public static final ModelSettings DEFAULT = new ModelSettings(64);

    public ModelSettings {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        }
    }
}

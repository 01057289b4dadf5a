package io.spotlight.model;

/**
 * How a model is run: {@code chunk} is the most rows (records x integration steps or noise
 * samples) sent through one forward+backward, and {@code passOverhead} what one more pass costs in
 * rows' worth of work (how readily rows that do not fill a pass are padded into fewer, larger
 * passes rather than split into smaller ones). Small models want large chunks; big models on CPU
 * want small ones (memory traffic dominates), so both are per model; {@code calibrate} asks for them
 * to be measured at start-up (registry: "chunk": "auto").
 */
public record ModelSettings(int chunk, double passOverhead, boolean calibrate) {

    public static final ModelSettings DEFAULT = new ModelSettings(64, 0, false);

    public ModelSettings(int chunk) {
        this(chunk, 0, false);
    }

    public ModelSettings(int chunk, double passOverhead) {
        this(chunk, passOverhead, false);
    }

    public ModelSettings {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        }
        if (!(passOverhead >= 0) || Double.isInfinite(passOverhead)) {
            throw new IllegalArgumentException("pass overhead must be a number >= 0, got " + passOverhead);
        }
    }
}

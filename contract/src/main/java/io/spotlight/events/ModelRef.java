package io.spotlight.events;

/** A model and the version that served a prediction. */
public record ModelRef(String id, String version) {
    @Override
    public String toString() {
        return id + ":" + version;
    }
}

package io.spotlight.focus;

import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.FocusReference;
import io.spotlight.events.ReferenceFile;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Accumulates explanation events of one model (or one version of it) into a {@link ReferenceFile},
 * per class and for all. Maps of different methods are kept apart; the reference describes the
 * method most explanations were focused on, whatever order they came in. The all-classes
 * reference keeps a uniform sample of at most {@code sampleSize} explanations' statistics, the
 * population its null distributions are resampled from.
 */
public final class ReferenceBuilder {

    private final String model;
    private final String version;
    private final int sampleSize;
    /** method -> class (or all) -> accumulated window. */
    private final Map<String, Map<String, FocusWindow>> byMethod = new TreeMap<>();

    /** A builder for a model's explanations, of one version or (null) of any. */
    public ReferenceBuilder(String model, String version, int sampleSize) {
        this.model = model;
        this.version = version;
        this.sampleSize = sampleSize;
    }

    /** Adds an explanation; events of other models or versions, or without focus statistics, are ignored. Returns whether it counted. */
    public boolean add(ExplanationEvent e) {
        if (!e.model().id().equals(model) || (version != null && !e.model().version().equals(version)) || e.focus() == null) {
            return false;
        }
        Map<String, FocusWindow> windows = byMethod.computeIfAbsent(e.focus().method(), m -> new TreeMap<>());
        FocusWindow one = FocusWindow.empty().add(e.focus(), e.predictionId(), sampleSize);
        windows.merge(Integer.toString(e.predicted().classIndex()), one, (a, b) -> a.merge(b, 0));
        windows.merge(ReferenceFile.ALL, one, (a, b) -> a.merge(b, sampleSize));
        return true;
    }

    /** Explanations of the leading method so far. */
    public long count() {
        return leading().map(m -> byMethod.get(m).get(ReferenceFile.ALL).count()).orElse(0L);
    }

    public ReferenceFile build(String source, Instant created) {
        String method = leading().orElseThrow(
                () -> new IllegalStateException("no explanation of " + model + " with focus statistics to build a reference from"));
        Map<String, FocusReference> classes = new LinkedHashMap<>();
        byMethod.get(method).forEach((k, w) -> classes.put(k, w.toReference()));
        classes.replaceAll((k, r) -> k.equals(ReferenceFile.ALL) ? r : r.withoutSample().identified());
        return new ReferenceFile(model, method, created, source, classes);
    }

    /** The method with the most explanations (ties: the first by name). */
    private Optional<String> leading() {
        return byMethod.entrySet().stream()
                .max(Comparator.<Map.Entry<String, Map<String, FocusWindow>>>comparingLong(e -> e.getValue().get(ReferenceFile.ALL).count())
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .map(Map.Entry::getKey);
    }
}

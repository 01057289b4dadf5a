package io.spotlight.focus;

import io.spotlight.events.ExplanationEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Accumulates explanation events of one model into a {@link ReferenceFile}, per class and for all. */
public final class ReferenceBuilder {

    private final String model;
    private final Map<String, FocusWindow> windows = new TreeMap<>();
    private String method;

    public ReferenceBuilder(String model) {
        this.model = model;
    }

    /** Adds an explanation; events of other models, or without focus statistics, are ignored. Returns whether it counted. */
    public boolean add(ExplanationEvent e) {
        if (!e.model().id().equals(model) || e.focus() == null || (method != null && !method.equals(e.focus().method()))) {
            return false;
        }
        method = e.focus().method();
        String cls = Integer.toString(e.predicted().classIndex());
        windows.merge(cls, FocusWindow.empty().add(e.focus(), e.predictionId()), FocusReference::merge);
        windows.merge(ReferenceFile.ALL, FocusWindow.empty().add(e.focus(), e.predictionId()), FocusReference::merge);
        return true;
    }

    public long count() {
        FocusWindow all = windows.get(ReferenceFile.ALL);
        return all == null ? 0 : all.count();
    }

    public ReferenceFile build(String source, Instant created) {
        if (count() == 0) {
            throw new IllegalStateException("no explanation of " + model + " with focus statistics to build a reference from");
        }
        Map<String, FocusReference> classes = new LinkedHashMap<>();
        windows.forEach((k, w) -> classes.put(k, FocusReference.of(w)));
        return new ReferenceFile(model, method, created, source, classes);
    }
}

package io.spotlight.focus;

import io.spotlight.events.DriftFigures;

/**
 * Where a rule stands for one model version: how many windows in a row were over the threshold,
 * whether the alert is firing, and since when (epoch ms of the window that raised it).
 */
public record AlertState(int consecutive, boolean firing, long sinceMillis) {

    public static final AlertState CLEAR = new AlertState(0, false, 0);

    /** What a window's figures change: the next state and "firing"/"resolved", or null for no change. */
    public record Step(AlertState next, String change) {}

    public Step after(AlertRule rule, DriftFigures figures, long windowEndMillis) {
        double v = rule.value(figures);
        if (v > rule.threshold()) {
            int n = consecutive + 1;
            if (!firing && n >= rule.windows()) {
                return new Step(new AlertState(n, true, windowEndMillis), "firing");
            }
            return new Step(new AlertState(n, firing, sinceMillis), null);
        }
        return firing ? new Step(CLEAR, "resolved") : new Step(CLEAR, null);
    }
}

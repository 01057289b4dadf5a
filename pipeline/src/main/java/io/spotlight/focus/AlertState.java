package io.spotlight.focus;

/**
 * Where a rule stands for one model version: how many windows in a row were over the threshold,
 * whether the alert is firing, and since when (epoch ms of the window that raised it).
 */
public record AlertState(int consecutive, boolean firing, long sinceMillis) {

    public static final AlertState CLEAR = new AlertState(0, false, 0);

    /** What a window changes: the next state and "firing"/"resolved", or null for no change. */
    public record Step(AlertState next, String change) {}

    public Step after(boolean over, int windows, long windowEndMillis) {
        if (over) {
            int n = consecutive + 1;
            if (!firing && n >= windows) {
                return new Step(new AlertState(n, true, windowEndMillis), "firing");
            }
            return new Step(new AlertState(n, firing, sinceMillis), null);
        }
        return firing ? new Step(CLEAR, "resolved") : new Step(CLEAR, null);
    }
}

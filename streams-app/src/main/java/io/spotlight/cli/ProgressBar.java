package io.spotlight.cli;

import java.util.Locale;
import java.util.function.BiConsumer;

/** A progress bar with a rate and an ETA on a terminal (stderr); a line every tenth otherwise. */
final class ProgressBar implements BiConsumer<Long, Long> {

    private final String verb;
    private final long start = System.nanoTime();
    private final boolean tty = System.console() != null;
    private long lastTenth = -1;

    ProgressBar(String verb) {
        this.verb = verb;
    }

    @Override
    public void accept(Long done, Long total) {
        double secs = (System.nanoTime() - start) / 1e9;
        double rate = done / Math.max(secs, 1e-9);
        long eta = rate > 0 ? Math.round((total - done) / rate) : 0;
        int width = 30;
        int filled = total == 0 ? width : (int) (width * done / total);
        String line = String.format(Locale.ROOT, "%s %d/%d [%s%s] %3.0f%% %.1f/s ETA %ds", verb, done, total,
                "#".repeat(filled), "-".repeat(width - filled), total == 0 ? 100.0 : 100.0 * done / total, rate, eta);
        long tenth = total == 0 ? 10 : 10 * done / total;
        if (tty) {
            System.err.print("\r" + line + (done.equals(total) ? "\n" : ""));
        } else if (tenth != lastTenth) {
            System.err.println(line);
            lastTenth = tenth;
        }
    }
}

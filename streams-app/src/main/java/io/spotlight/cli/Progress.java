package io.spotlight.cli;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The command line's progress line, drawn by me.tongfei:progressbar: task, percentage, bar, count,
 * rate and time left, then a note (the demo's counters). On a terminal it is redrawn in place on
 * stderr twice a second; into a file or a pipe it is a plain stderr line every five seconds, and a
 * last one when it closes. Every command that shows progress starts one here.
 */
final class Progress implements AutoCloseable {

    private static final int TERMINAL_EVERY_MS = 500;
    private static final int LOG_EVERY_MS = 5000;
    /** Characters of a line written to a file or a pipe, which has no width of its own. */
    private static final int LOG_WIDTH = 160;

    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** A progress line on stderr for a task of {@code total} units (negative while not known). */
    static Progress start(String task, String unit, long total) {
        if (System.console() != null) {
            return start(task, unit, total, null, TERMINAL_EVERY_MS);
        }
        // Closing renders once more: a log gets that line only if it says something new.
        AtomicReference<String> last = new AtomicReference<>();
        return start(task, unit, total, line -> {
            if (!line.equals(last.getAndSet(line))) {
                System.err.println(line);
            }
        }, LOG_EVERY_MS);
    }

    /** A progress line whose renderings go to {@code lines} every {@code everyMs} (null: redrawn on the terminal). */
    static Progress start(String task, String unit, long total, Consumer<String> lines, int everyMs) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.ASCII).showSpeed().setUpdateIntervalMillis(everyMs);
        if (lines != null) {
            builder.setConsumer(new DelegatingProgressBarConsumer(lines, LOG_WIDTH));
        }
        return new Progress(builder.build());
    }

    /** No line at all (a command's --quiet). */
    static Progress none() {
        return start("", "", -1, line -> { }, LOG_EVERY_MS);
    }

    Progress to(long done) {
        bar.stepTo(done);
        return this;
    }

    /** The total once known, or when it changes. */
    Progress total(long total) {
        if (bar.getMax() != total) {
            bar.maxHint(total);
        }
        return this;
    }

    /** Text shown after the bar until replaced. */
    Progress note(String note) {
        bar.setExtraMessage(" " + note);
        return this;
    }

    /** A (done, total) listener that moves this line, as a replay reports its progress. */
    BiConsumer<Long, Long> listener() {
        return (done, total) -> total(total).to(done);
    }

    @Override
    public void close() {
        bar.close();
    }
}

package io.spotlight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The progress line as a file or a pipe gets it: plain lines with the task, the count of the total, and the note. */
class ProgressTest {

    @Test
    void aClosedLineEndsWithTheFinalCountAndNote() {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (Progress p = Progress.start("re-explained", "records", -1, lines::add, 60_000)) {
            p.listener().accept(3L, 10L);
            p.listener().accept(10L, 10L);
            p.note("identical so far");
        }
        assertThat(lines).isNotEmpty();
        String last = lines.get(lines.size() - 1);
        assertThat(last).startsWith("re-explained").contains("100%").contains("10/10 records").endsWith(" identical so far");
        assertThat(lines).noneMatch(l -> l.contains("\r"));
    }

    @Test
    void anUnknownTotalStillCounts() {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (Progress p = Progress.start("demo", "events", -1, lines::add, 60_000)) {
            p.to(42);
        }
        assertThat(lines.get(lines.size() - 1)).contains("42").doesNotContain("42/42");
    }

    @Test
    void aQuietLineAcceptsEverythingAndShowsNothing() {
        try (Progress p = Progress.none()) {
            p.total(5).to(5).note("n").listener().accept(1L, 2L);
        }
    }
}

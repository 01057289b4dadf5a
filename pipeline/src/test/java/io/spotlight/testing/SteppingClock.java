package io.spotlight.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** A clock for synthetic event time: each reading is one step after the previous one. */
public final class SteppingClock extends Clock {

    private final Instant start;
    private final Duration step;
    private long calls;

    /**
     * A start for synthetic event time on a real broker: an hour ago, on a whole minute (so windows align). A fixed
     * date would age past the broker's retention (7 days), which deletes the records before they are read.
     */
    public static Instant anHourAgo() {
        return Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1));
    }

    public SteppingClock(Instant start, Duration step) {
        this.start = start;
        this.step = step;
    }

    @Override
    public synchronized Instant instant() {
        return start.plus(step.multipliedBy(calls++));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}

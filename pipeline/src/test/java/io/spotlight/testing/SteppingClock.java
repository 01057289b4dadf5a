package io.spotlight.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock for synthetic event time: each reading is one step after the previous one. */
public final class SteppingClock extends Clock {

    private final Instant start;
    private final Duration step;
    private long calls;

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

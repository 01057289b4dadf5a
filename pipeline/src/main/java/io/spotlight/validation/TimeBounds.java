package io.spotlight.validation;

import io.spotlight.config.SpotlightConfig;
import java.time.Duration;
import java.time.Instant;

/**
 * How far a record's event time may stray from this instance's clock. A prediction or label
 * stamped too far ahead (a producer with a bad clock) would drag drift windows and sampling budgets
 * into the future, and the outputs stamped with it would be refused by the broker; one older than
 * {@code maxAge}, when that is set, is taken for a clock error rather than a backlog. Such records
 * are dead-lettered, not re-stamped: their true time is unknown, and a guessed one would put them
 * in the wrong drift window.
 *
 * @param maxAge zero for no limit
 */
public record TimeBounds(Duration maxFuture, Duration maxAge) {

    public static TimeBounds of(SpotlightConfig c) {
        return new TimeBounds(Duration.ofMillis(c.longValue("input.max-future-ms")), Duration.ofMillis(c.longValue("input.max-age-ms")));
    }

    /**
     * These bounds, tightened to half of what the output topics accept (their
     * message.timestamp.after.max.ms and before.max.ms): an output carries its input's time and may
     * be written a while after the input was checked.
     */
    public TimeBounds within(Duration topicsAfterMax, Duration topicsBeforeMax) {
        Duration future = min(maxFuture, topicsAfterMax.dividedBy(2));
        Duration age = topicsBeforeMax.toMillis() == Long.MAX_VALUE ? maxAge
                : maxAge.isZero() ? topicsBeforeMax.dividedBy(2) : min(maxAge, topicsBeforeMax.dividedBy(2));
        return new TimeBounds(future, age);
    }

    /** Why {@code what} (a time a record carries) cannot be trusted at {@code now}; null when it can. */
    public String violation(String what, Instant time, Instant now) {
        if (time.toEpochMilli() < 0) {
            return what + " " + time + " is before 1970, which a Kafka record cannot carry";
        }
        if (time.isAfter(now.plus(maxFuture))) {
            return what + " " + time + " is " + Duration.between(now, time).toSeconds() + " s ahead of this instance's clock (" + now
                    + "); input.max-future-ms allows " + maxFuture.toMillis() + " ms";
        }
        if (!maxAge.isZero() && time.isBefore(now.minus(maxAge))) {
            return what + " " + time + " is older than input.max-age-ms (" + maxAge.toMillis() + " ms) at " + now;
        }
        return null;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

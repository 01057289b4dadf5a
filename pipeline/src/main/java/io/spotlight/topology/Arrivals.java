package io.spotlight.topology;

import io.spotlight.validation.TimeBounds;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * What validate and labels check of a record that passed its validator: times it can be trusted
 * with, and that it was not read already (a producer's retry). The ids read are kept in a window
 * store for the dedup window, by event time.
 */
final class Arrivals {

    private final TimeBounds time;
    private final Duration dedupWindow;

    Arrivals(TimeBounds time, Duration dedupWindow) {
        this.time = time;
        this.dedupWindow = dedupWindow;
    }

    /** Why the record's event time or Kafka timestamp cannot be trusted now; null when both can. */
    String untrusted(String what, Instant eventTime, long recordTimestamp, Instant now) {
        String problem = time.violation(what, eventTime, now);
        return problem != null ? problem : time.violation("record timestamp", Instant.ofEpochMilli(recordTimestamp), now);
    }

    /** The offset this key was first read at within the dedup window, or null: then it is recorded as read now. */
    Long readBefore(WindowStore<String, Long> seen, String key, Instant eventTime, long offset) {
        long at = eventTime.toEpochMilli();
        try (WindowStoreIterator<Long> earlier = seen.fetch(key, at - dedupWindow.toMillis(), at + dedupWindow.toMillis())) {
            if (earlier.hasNext()) {
                return earlier.next().value;
            }
        }
        seen.put(key, offset, at);
        return null;
    }
}

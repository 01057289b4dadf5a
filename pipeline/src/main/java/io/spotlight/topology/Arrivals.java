package io.spotlight.topology;

import io.spotlight.events.DeadLetter;
import io.spotlight.events.PredictionEvent;
import io.spotlight.validation.Checked;
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

    /**
     * A valid prediction whose times can be trusted and whose id is new; otherwise why not (a
     * producer's retry would otherwise be explained, and analysed against its label, twice).
     */
    Checked trustedPrediction(Checked checked, long recordTimestamp, WindowStore<String, Long> seen, Instant now, long offset) {
        if (!(checked instanceof Checked.Valid v)) {
            return checked;
        }
        PredictionEvent e = v.event();
        String untrusted = untrusted("timestamp", e.timestamp(), recordTimestamp, now);
        if (untrusted != null) {
            return new Checked.Rejected(DeadLetter.Reason.BAD_TIMESTAMP, untrusted, e.id());
        }
        Long earlier = readBefore(seen, e.id(), e.timestamp(), offset);
        if (earlier != null) {
            return new Checked.Rejected(DeadLetter.Reason.DUPLICATE, "prediction " + e.id() + " was already read at offset " + earlier
                    + " (within input.dedup-window-ms)", e.id());
        }
        return checked;
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

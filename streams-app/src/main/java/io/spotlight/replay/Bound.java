package io.spotlight.replay;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One end of a replay range: a time (ISO-8601, matched against record timestamps), an offset for
 * every partition ("1200"), offsets per partition ("0:1200,1:1180,2:1230"), or open (the beginning
 * or the end of the topic).
 */
public record Bound(Instant time, Long offset, Map<Integer, Long> offsets) {

    public static final Bound OPEN = new Bound(null, null, null);

    public static Bound parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return OPEN;
        }
        String s = spec.trim();
        if (s.matches("\\d+")) {
            return new Bound(null, Long.parseLong(s), null);
        }
        if (s.matches("\\d+:\\d+(,\\d+:\\d+)*")) {
            Map<Integer, Long> m = new LinkedHashMap<>();
            for (String part : s.split(",")) {
                String[] kv = part.split(":");
                m.put(Integer.parseInt(kv[0]), Long.parseLong(kv[1]));
            }
            return new Bound(null, null, m);
        }
        try {
            return new Bound(Instant.parse(s), null, null);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("a range bound is an ISO-8601 time (2026-11-24T09:00:00Z), an offset (1200) "
                    + "or offsets per partition (0:1200,1:1180); got '" + spec + "'");
        }
    }

    public boolean isOpen() {
        return time == null && offset == null && offsets == null;
    }

    @Override
    public String toString() {
        return isOpen() ? "open" : time != null ? time.toString() : offset != null ? "offset " + offset : "offsets " + offsets;
    }
}

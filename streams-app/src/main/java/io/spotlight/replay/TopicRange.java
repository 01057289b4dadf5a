package io.spotlight.replay;

import io.spotlight.kafka.KafkaClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a range of a topic with a consumer of its own: no group, no committed offsets, so a running
 * application never notices. Committed records only. Time bounds select records whose timestamp is
 * in [from, to); the broker's time index finds where to start, and a time-bounded range is read to
 * the end of each partition (see below).
 */
public final class TopicRange {

    /** Per partition, the first offset read and the offset it stops before. */
    public record Span(long start, long end) {}

    private final KafkaClients clients;

    public TopicRange(KafkaClients clients) {
        this.clients = clients;
    }

    public Map<Integer, Span> read(String topic, Bound from, Bound to, Consumer<ConsumerRecord<String, byte[]>> each) {
        try (KafkaConsumer<String, byte[]> consumer = clients.reader("spotlight-replay-reader")) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic + " does not exist");
            }
            List<TopicPartition> parts = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts);
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(parts);
            Map<TopicPartition, Long> starts = resolve(consumer, parts, from, begin, endOffsets);
            // A time upper bound cannot come from the time index: transaction markers carry the time
            // they were written, not the records' time, so the index can point before records that
            // belong in the range. Read to the end and keep records by timestamp instead.
            Map<TopicPartition, Long> ends = to.time() != null ? endOffsets : resolve(consumer, parts, to, endOffsets, endOffsets);
            Map<Integer, Span> spans = new HashMap<>();
            consumer.assign(parts);
            for (TopicPartition p : parts) {
                long start = Math.max(starts.get(p), begin.get(p));
                long end = Math.min(ends.get(p), endOffsets.get(p));
                spans.put(p.partition(), new Span(start, Math.max(start, end)));
                consumer.seek(p, start);
            }
            while (parts.stream().anyMatch(p -> consumer.position(p) < spans.get(p.partition()).end())) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() >= spans.get(r.partition()).end()) {
                        continue;
                    }
                    if ((from.time() != null && r.timestamp() < from.time().toEpochMilli())
                            || (to.time() != null && r.timestamp() >= to.time().toEpochMilli())) {
                        continue;
                    }
                    each.accept(r);
                }
            }
            return spans;
        }
    }

    private static Map<TopicPartition, Long> resolve(KafkaConsumer<?, ?> consumer, List<TopicPartition> parts, Bound b,
                                                     Map<TopicPartition, Long> open, Map<TopicPartition, Long> endOffsets) {
        Map<TopicPartition, Long> out = new HashMap<>();
        if (b.isOpen()) {
            out.putAll(open);
        } else if (b.offset() != null) {
            parts.forEach(p -> out.put(p, b.offset()));
        } else if (b.offsets() != null) {
            parts.forEach(p -> out.put(p, b.offsets().getOrDefault(p.partition(), open.get(p))));
        } else {
            Map<TopicPartition, Long> times = new HashMap<>();
            parts.forEach(p -> times.put(p, b.time().toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times);
            parts.forEach(p -> out.put(p, found.get(p) == null ? endOffsets.get(p) : found.get(p).offset()));
        }
        return out;
    }
}

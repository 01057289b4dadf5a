package io.spotlight.topology;

import io.spotlight.containment.DeadLetters;
import io.spotlight.events.DeadLetter;
import io.spotlight.events.Label;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.validation.LabelValidator;
import io.spotlight.validation.TimeBounds;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;

/**
 * labels: raw bytes in; a label with where it came from, or a dead letter with the reason and the
 * original bytes. A label must be schema-valid, trustworthy in time, and not one already read (the
 * same prediction and class again); another class for the same prediction is a new label.
 */
final class LabelProcessor implements FixedKeyProcessor<String, byte[], Routed<SourcedLabel>> {

    static final String SEEN_STORE = "seen-labels";
    static final String STAGE = "labels";

    private final LabelValidator validator = new LabelValidator();
    private final Arrivals arrivals;
    private final DeadLetters deadLetters;
    private final SpotlightMetrics metrics;
    private final Clock clock;
    private FixedKeyProcessorContext<String, Routed<SourcedLabel>> context;
    private WindowStore<String, Long> seen;

    LabelProcessor(TimeBounds time, Duration dedupWindow, DeadLetters deadLetters, SpotlightMetrics metrics, Clock clock) {
        this.arrivals = new Arrivals(time, dedupWindow);
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Routed<SourcedLabel>> context) {
        this.context = context;
        this.seen = context.getStateStore(SEEN_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        LabelValidator.Result r = trusted(validator.check(record.value()), record.timestamp());
        DeadLetters.Origin origin = Origins.of(context.recordMetadata().orElse(null), record.timestamp(), record.key(), record.headers(), record.value());
        if (r.label() != null) {
            metrics.label("read");
            context.forward(record.withValue(Routed.ok(new SourcedLabel(r.label(), origin.topic(), origin.partition(), origin.offset(), record.value())))
                    .withHeaders(new RecordHeaders()));
            return;
        }
        metrics.label("dead-lettered");
        context.forward(record.withValue(Routed.<SourcedLabel>dead(deadLetters.refused(r.reason(), r.message(), STAGE, origin, null)))
                .withHeaders(new RecordHeaders()));
    }

    private LabelValidator.Result trusted(LabelValidator.Result r, long recordTimestamp) {
        if (r.label() == null) {
            return r;
        }
        Label l = r.label();
        String untrusted = arrivals.untrusted("label timestamp", l.timestamp(), recordTimestamp, clock.instant());
        if (untrusted != null) {
            return new LabelValidator.Result(null, DeadLetter.Reason.BAD_TIMESTAMP, untrusted);
        }
        Long earlier = arrivals.readBefore(seen, l.predictionId() + "|" + l.trueClass(), l.timestamp(),
                context.recordMetadata().map(m -> m.offset()).orElse(-1L));
        if (earlier != null) {
            return new LabelValidator.Result(null, DeadLetter.Reason.DUPLICATE, "label " + l.trueClass() + " for " + l.predictionId()
                    + " was already read at offset " + earlier + " (within input.dedup-window-ms)");
        }
        return r;
    }
}

package io.spotlight.topology;

import io.spotlight.containment.DeadLetters;
import io.spotlight.events.DeadLetter;
import io.spotlight.events.PredictionEvent;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.validation.Checked;
import io.spotlight.validation.PredictionValidator;
import io.spotlight.validation.TimeBounds;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;

/**
 * validate: raw bytes in; a prediction event, or a dead letter with the reason and the original
 * bytes. Beyond the validator's checks, event time must be trustworthy and the prediction new (a
 * producer's retry would otherwise be explained, and analysed against its label, twice).
 */
final class ValidateProcessor implements FixedKeyProcessor<String, byte[], Routed<PredictionEvent>> {

    static final String SEEN_STORE = "seen-predictions";
    static final String STAGE = "validate";

    private final PredictionValidator validator;
    private final String seenStore;
    private final Arrivals arrivals;
    private final DeadLetters deadLetters;
    private final SpotlightMetrics metrics;
    private final Clock clock;
    private FixedKeyProcessorContext<String, Routed<PredictionEvent>> context;
    private WindowStore<String, Long> seen;

    /** {@code seenStore}: the window store of the ids this source's validation has read. */
    ValidateProcessor(PredictionValidator validator, TimeBounds time, Duration dedupWindow, String seenStore, DeadLetters deadLetters,
                      SpotlightMetrics metrics, Clock clock) {
        this.validator = validator;
        this.seenStore = seenStore;
        this.arrivals = new Arrivals(time, dedupWindow);
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Routed<PredictionEvent>> context) {
        this.context = context;
        this.seen = context.getStateStore(seenStore);
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        metrics.consumed();
        Checked checked = arrivals.trustedPrediction(validator.check(record.value()), record.timestamp(), seen, clock.instant(),
                context.recordMetadata().map(m -> m.offset()).orElse(-1L));
        if (checked instanceof Checked.Valid v) {
            metrics.valid(v.event().model().id(), v.event().model().version());
            // Input headers stay behind: outputs carry Spotlight's own, never a producer's (unbounded) ones.
            context.forward(record.withValue(Routed.<PredictionEvent>ok(v.event())).withHeaders(new RecordHeaders()));
            return;
        }
        Checked.Rejected r = (Checked.Rejected) checked;
        DeadLetter letter = deadLetters.refused(r.reason(), r.message(), STAGE,
                Origins.of(context.recordMetadata().orElse(null), record.timestamp(), record.key(), record.headers(), record.value()), r.predictionId());
        context.forward(record.withValue(Routed.<PredictionEvent>dead(letter)).withHeaders(new RecordHeaders()));
    }
}

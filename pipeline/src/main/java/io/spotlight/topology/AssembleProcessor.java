package io.spotlight.topology;

import static io.spotlight.events.DeadLetter.Reason.REQUEST_WITHOUT_RESPONSE;
import static io.spotlight.events.DeadLetter.Reason.RESPONSE_WITHOUT_REQUEST;

import io.spotlight.containment.DeadLetters;
import io.spotlight.events.DeadLetter;
import io.spotlight.events.PredictionEvent;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.validation.Checked;
import io.spotlight.validation.ServedPredictions;
import io.spotlight.validation.ServedRecord;
import io.spotlight.validation.TimeBounds;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;

/**
 * join, second half: a request and its response become prediction events, held to the same
 * event-time bounds and dedup window as Spotlight's own; a half left alone when the window closed,
 * or a pair that makes no valid prediction, becomes a dead letter for each record involved (with
 * its own origin and bytes).
 */
final class AssembleProcessor implements FixedKeyProcessor<String, AssembleProcessor.Pair, Routed<PredictionEvent>> {

    /** What the outer join pairs: either side may be missing. Never serialised. */
    record Pair(ServedRecord request, ServedRecord response) {}

    static final String SEEN_STORE = "seen-served-predictions";
    static final String STAGE = "join";

    private final ServedPredictions predictions;
    private final Duration window;
    private final Arrivals arrivals;
    private final DeadLetters deadLetters;
    private final SpotlightMetrics metrics;
    private final Clock clock;
    private FixedKeyProcessorContext<String, Routed<PredictionEvent>> context;
    private WindowStore<String, Long> seen;

    AssembleProcessor(ServedPredictions predictions, Duration window, TimeBounds time, Duration dedupWindow, DeadLetters deadLetters,
                      SpotlightMetrics metrics, Clock clock) {
        this.predictions = predictions;
        this.window = window;
        this.arrivals = new Arrivals(time, dedupWindow);
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Routed<PredictionEvent>> context) {
        this.context = context;
        this.seen = context.getStateStore(SEEN_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, Pair> record) {
        Pair pair = record.value();
        if (pair.request() == null) {
            dead(record, pair.response(), RESPONSE_WITHOUT_REQUEST, "no request with id '" + record.key() + "' within "
                    + window.toMillis() + " ms (input.join-window-ms)");
            return;
        }
        if (pair.response() == null) {
            dead(record, pair.request(), REQUEST_WITHOUT_RESPONSE, "no response with id '" + record.key() + "' within "
                    + window.toMillis() + " ms (input.join-window-ms)");
            return;
        }
        ServedPredictions.Assembled assembled = predictions.assemble(pair.request(), pair.response());
        if (assembled.rejected() != null) {
            dead(record, pair.request(), assembled.rejected().reason(), assembled.rejected().message());
            dead(record, pair.response(), assembled.rejected().reason(), assembled.rejected().message());
            return;
        }
        for (PredictionEvent e : assembled.events()) {
            Checked checked = arrivals.trustedPrediction(new Checked.Valid(e), pair.request().timestamp(), seen, clock.instant(),
                    pair.request().offset());
            if (checked instanceof Checked.Rejected r) {
                dead(record, pair.request(), r.reason(), r.message());
                continue;
            }
            metrics.valid(e.model().id(), e.model().version());
            context.forward(record.withValue(Routed.ok(e)));
        }
    }

    private void dead(FixedKeyRecord<String, Pair> record, ServedRecord half, DeadLetter.Reason reason, String message) {
        DeadLetters.Origin origin = new DeadLetters.Origin(half.topic(), half.partition(), half.offset(), half.timestamp(),
                half.key() == null ? null : half.key().getBytes(StandardCharsets.UTF_8), null, half.original());
        context.forward(record.withValue(Routed.<PredictionEvent>dead(deadLetters.refused(reason, message, STAGE, origin, half.message().id()))));
    }
}

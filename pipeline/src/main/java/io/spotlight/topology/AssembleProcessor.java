package io.spotlight.topology;

import static io.spotlight.events.DeadLetter.Reason.REQUEST_WITHOUT_RESPONSE;
import static io.spotlight.events.DeadLetter.Reason.RESPONSE_WITHOUT_REQUEST;

import io.spotlight.events.DeadLetter;
import io.spotlight.events.PredictionEvent;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.validation.ServedPredictions;
import io.spotlight.validation.ServedRecord;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * join, second half: a request and its response become prediction events; a half left alone
 * when the window closed, or a pair that makes no valid prediction, becomes a dead letter for
 * each record involved (with its own origin and bytes).
 */
final class AssembleProcessor implements FixedKeyProcessor<String, AssembleProcessor.Pair, Routed<PredictionEvent>> {

    /** What the outer join pairs: either side may be missing. Never serialised. */
    record Pair(ServedRecord request, ServedRecord response) {}

    private final ServedPredictions predictions;
    private final Duration window;
    private final DeadLetters deadLetters;
    private final SpotlightMetrics metrics;
    private FixedKeyProcessorContext<String, Routed<PredictionEvent>> context;

    AssembleProcessor(ServedPredictions predictions, Duration window, DeadLetters deadLetters, SpotlightMetrics metrics) {
        this.predictions = predictions;
        this.window = window;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Routed<PredictionEvent>> context) {
        this.context = context;
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
            metrics.valid(e.model().id(), e.model().version());
            context.forward(record.withValue(new Routed.Ok<>(e)));
        }
    }

    private void dead(FixedKeyRecord<String, Pair> record, ServedRecord half, DeadLetter.Reason reason, String message) {
        context.forward(record.withValue(new Routed.Dead<>(deadLetters.of(reason, message, "join", half.topic(), half.partition(),
                half.offset(), half.timestamp(), half.key(), half.message().id(), half.original()))));
    }
}

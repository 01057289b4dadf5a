package io.spotlight.topology;

import io.spotlight.events.PredictionEvent;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.validation.Checked;
import io.spotlight.validation.PredictionValidator;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** validate: raw bytes in; a prediction event, or a dead letter with the reason and the original bytes. */
final class ValidateProcessor implements FixedKeyProcessor<String, byte[], Routed<PredictionEvent>> {

    private final PredictionValidator validator;
    private final DeadLetters deadLetters;
    private final SpotlightMetrics metrics;
    private FixedKeyProcessorContext<String, Routed<PredictionEvent>> context;

    ValidateProcessor(PredictionValidator validator, DeadLetters deadLetters, SpotlightMetrics metrics) {
        this.validator = validator;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Routed<PredictionEvent>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        metrics.consumed();
        Checked checked = validator.check(record.value());
        if (checked instanceof Checked.Valid v) {
            metrics.valid(v.event().model().id(), v.event().model().version());
            context.forward(record.withValue(new Routed.Ok<>(v.event())));
            return;
        }
        Checked.Rejected r = (Checked.Rejected) checked;
        context.forward(record.withValue(new Routed.Dead<>(deadLetters.of(r.reason(), r.message(), "validate",
                context.recordMetadata().orElse(null), record.timestamp(), record.key(), r.predictionId(), record.value()))));
    }
}

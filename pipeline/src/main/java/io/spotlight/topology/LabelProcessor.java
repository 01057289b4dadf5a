package io.spotlight.topology;

import io.spotlight.events.Label;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.validation.LabelValidator;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** labels: raw bytes in; a label, or a dead letter with the reason and the original bytes. */
final class LabelProcessor implements FixedKeyProcessor<String, byte[], Routed<Label>> {

    private final LabelValidator validator = new LabelValidator();
    private final DeadLetters deadLetters;
    private final SpotlightMetrics metrics;
    private FixedKeyProcessorContext<String, Routed<Label>> context;

    LabelProcessor(DeadLetters deadLetters, SpotlightMetrics metrics) {
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Routed<Label>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        LabelValidator.Result r = validator.check(record.value());
        if (r.label() != null) {
            metrics.label("read");
            context.forward(record.withValue(new Routed.Ok<>(r.label())));
            return;
        }
        metrics.label("dead-lettered");
        context.forward(record.withValue(new Routed.Dead<>(deadLetters.of(r.reason(), r.message(), "labels",
                context.recordMetadata().orElse(null), record.timestamp(), record.key(), null, record.value()))));
    }
}

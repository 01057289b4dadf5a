package io.spotlight.topology;

import io.spotlight.events.PredictionEvent;
import io.spotlight.explanation.ExplainRequest;
import io.spotlight.explanation.ExplainRequest.PredictionSource;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import java.util.Set;

/**
 * A valid prediction as the label join holds it: without its input, with the record it can be
 * read back from. A prediction assembled from a model server's request and response has no such
 * record (the request is not a prediction event), so it is held whole.
 */
final class ReferenceProcessor implements FixedKeyProcessor<String, PredictionEvent, PredictionReference> {

    private final Set<String> readable;
    private FixedKeyProcessorContext<String, PredictionReference> context;

    /** @param readable the topics whose records are prediction events (Spotlight's format) */
    ReferenceProcessor(Set<String> readable) {
        this.readable = readable;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, PredictionReference> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, PredictionEvent> record) {
        PredictionSource source = context.recordMetadata().filter(m -> readable.contains(m.topic()))
                .map(m -> new PredictionSource(m.topic(), m.partition(), m.offset())).orElse(null);
        PredictionEvent held = source == null ? record.value() : ExplainRequest.withoutInput(record.value());
        context.forward(record.withValue(new PredictionReference(held, source)));
    }
}

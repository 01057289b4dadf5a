package io.spotlight.topology;

import io.spotlight.events.PredictionEvent;
import io.spotlight.explanation.ExplainRequest;
import io.spotlight.explanation.ExplainRequest.PredictionSource;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** A valid prediction as the label join holds it: without its input, with the record it can be read back from. */
final class ReferenceProcessor implements FixedKeyProcessor<String, PredictionEvent, PredictionReference> {

    private FixedKeyProcessorContext<String, PredictionReference> context;

    @Override
    public void init(FixedKeyProcessorContext<String, PredictionReference> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, PredictionEvent> record) {
        PredictionSource source = context.recordMetadata().map(m -> new PredictionSource(m.topic(), m.partition(), m.offset())).orElse(null);
        context.forward(record.withValue(new PredictionReference(ExplainRequest.withoutInput(record.value()), source)));
    }
}

package io.spotlight.topology;

import static io.spotlight.events.DeadLetter.Reason.MISSING_ID;
import static io.spotlight.events.DeadLetter.Reason.OVERSIZED;

import io.spotlight.containment.DeadLetters;
import io.spotlight.events.DeadLetter;
import io.spotlight.events.InvalidInputException;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.oip.InferMessage;
import io.spotlight.validation.ServedRecord;
import io.spotlight.validation.SourceTopic;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * decode: a model server's request or response, raw bytes and headers in; the message with its
 * origin, or a dead letter. The id that pairs request and response is the record key where there
 * is one (as MLServer and Seldon use it), else the body's; a CloudEvent's own id comes first.
 */
final class DecodeProcessor implements FixedKeyProcessor<String, byte[], Routed<ServedRecord>> {

    private final SourceTopic source;
    private final int maxBytes;
    private final DeadLetters deadLetters;
    private final SpotlightMetrics metrics;
    private FixedKeyProcessorContext<String, Routed<ServedRecord>> context;

    DecodeProcessor(SourceTopic source, int maxBytes, DeadLetters deadLetters, SpotlightMetrics metrics) {
        this.source = source;
        this.maxBytes = maxBytes;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Routed<ServedRecord>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        metrics.consumed();
        RecordMetadata at = context.recordMetadata().orElse(null);
        byte[] value = record.value() == null ? new byte[0] : record.value();
        try {
            if (value.length > maxBytes) {
                throw new InvalidInputException(OVERSIZED, value.length + " bytes, limit " + maxBytes + " (input.max-bytes)");
            }
            InferMessage m = source.format().read(value, headers(record), source.role());
            String key = record.key();
            if (!source.format().rolePerRecord() && key != null && !key.isEmpty()) {
                m = m.withId(key);
            }
            if (m.id() == null || m.id().isEmpty()) {
                throw new InvalidInputException(MISSING_ID, "the " + m.role().name().toLowerCase()
                        + " has no id (record key or body id) to pair it with its " + (m.role() == InferMessage.Role.REQUEST ? "response" : "request"));
            }
            // Input headers stay behind: outputs carry Spotlight's own, never a producer's (unbounded) ones.
            context.forward(record.withValue(Routed.ok(new ServedRecord(m, source.format().id(), source.topic(), at == null ? -1 : at.partition(),
                    at == null ? -1 : at.offset(), record.timestamp(), key, source.model(), value))).withHeaders(new RecordHeaders()));
        } catch (InvalidInputException | RuntimeException e) {
            // A protocol violation, or a message so odd the reader broke on it: either way, a dead letter.
            var reason = e instanceof InvalidInputException m ? m.reason() : DeadLetter.Reason.SCHEMA_INVALID;
            context.forward(record.withValue(Routed.<ServedRecord>dead(deadLetters.refused(reason, String.valueOf(e.getMessage()), "decode",
                    Origins.of(at, record.timestamp(), record.key(), record.headers(), value), null))).withHeaders(new RecordHeaders()));
        }
    }

    private static Map<String, String> headers(FixedKeyRecord<String, byte[]> record) {
        Map<String, String> out = new HashMap<>();
        for (Header h : record.headers()) {
            out.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
        }
        return out;
    }
}

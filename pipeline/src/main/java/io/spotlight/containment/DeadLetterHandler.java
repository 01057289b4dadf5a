package io.spotlight.containment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.spotlight.events.DeadLetter;
import io.spotlight.events.DeadLetter.Reason;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.PredictionEvent;
import io.spotlight.explanation.ExplainRequest;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Kafka Streams' deserialization, processing and production exception handlers in one: whatever
 * fails, in any stage and whether anyone anticipated it or not, becomes a dead letter (the 4.x
 * handler responses carry it to the dead-letter topic in the same transaction) and the stream goes
 * on. A processing failure is {@code internal-error}; the letter names the stage, the exception,
 * and carries the source record's coordinates, headers and bytes; a value too large for one record
 * (an output, or a store's changelog) is {@code oversized-output}.
 *
 * <p>Under exactly-once a record the broker refuses aborts the whole transaction, whatever a
 * handler answers; that is why outputs are bounded before they are sent (timestamps in validate,
 * sizes when serialised) rather than caught here.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler, ProductionExceptionHandler {

    static final String DESERIALIZE = "deserialize";
    static final String PRODUCE = "produce";

    private DeadLetters letters;

    @Override
    public void configure(Map<String, ?> configs) {
        if (!(configs.get(DeadLetters.CONFIG) instanceof DeadLetters d)) {
            throw new ConfigException(DeadLetters.CONFIG, configs.get(DeadLetters.CONFIG), "the dead-letter builder must be configured");
        }
        this.letters = d;
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        JsonProcessingException json = cause(exception, JsonProcessingException.class);
        Reason reason = json == null ? Reason.INTERNAL_ERROR : json instanceof JsonMappingException ? Reason.SCHEMA_INVALID : Reason.MALFORMED_JSON;
        DeadLetter letter = letters.failed(reason, DESERIALIZE, new DeadLetters.Origin(record.topic(), record.partition(), record.offset(),
                record.timestamp(), record.key(), record.headers(), record.value()), null, json == null ? exception : json);
        return DeserializationExceptionHandler.Response.resume(List.of(letters.record(letter)));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        Throwable cause = exception instanceof ContainErrors.StageError e ? e.getCause() : exception;
        // A stage's store refused a value too large for its changelog: the record's size, not a bug.
        Reason reason = cause(exception, OutputTooLargeException.class) != null ? Reason.OVERSIZED_OUTPUT : Reason.INTERNAL_ERROR;
        DeadLetter letter = letters.failed(reason, context.processorNodeId(), origin(context), predictionId(record), cause);
        return ProcessingExceptionHandler.Response.resume(List.of(letters.record(letter)));
    }

    @Override
    public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) {
            return ProductionExceptionHandler.Response.retry();
        }
        DeadLetter letter = letters.failed(Reason.BROKER_REFUSED, PRODUCE, origin(context), null, exception);
        return ProductionExceptionHandler.Response.resume(List.of(letters.record(letter)));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProductionExceptionHandler.Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                                                       SerializationExceptionOrigin origin) {
        Reason reason = exception instanceof OutputTooLargeException ? Reason.OVERSIZED_OUTPUT : Reason.INTERNAL_ERROR;
        DeadLetter letter = letters.failed(reason, PRODUCE, origin(context), predictionId(record.value()), exception);
        return ProductionExceptionHandler.Response.resume(List.of(letters.record(letter)));
    }

    /** The record the failing stage was working on: the source record of its task (none while punctuating). */
    private static DeadLetters.Origin origin(ErrorHandlerContext c) {
        return new DeadLetters.Origin(c.topic(), c.partition(), c.offset(), c.timestamp(), c.sourceRawKey(), c.headers(), c.sourceRawValue());
    }

    private static String predictionId(Record<?, ?> record) {
        return record == null ? null : predictionId(record.value());
    }

    private static String predictionId(Object value) {
        if (value instanceof PredictionEvent e) {
            return e.id();
        }
        if (value instanceof ExplainRequest r) {
            return r.event().id();
        }
        return value instanceof ExplanationEvent e ? e.predictionId() : null;
    }

    private static <T> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}

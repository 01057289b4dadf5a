package io.spotlight.topology;

import io.spotlight.events.DeadLetter;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Json;
import io.spotlight.events.MisclassificationEvent;
import io.spotlight.explanation.ExplainRequest;
import io.spotlight.explanation.ExplanationService;
import io.spotlight.explanation.Outcome;
import io.spotlight.metrics.SpotlightMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * explain: buffers requests in a changelogged store and explains them together when the batch is
 * full or has waited {@code linger} (wall clock), so a restart loses nothing that was consumed and
 * the batch is explained by whichever instance owns the partition next.
 */
final class ExplainProcessor implements Processor<String, ExplainRequest, String, Object> {

    static final String BUFFER_STORE = "explain-buffer";

    /** A buffered request with the timestamp and source of the record that carried it. */
    record Buffered(ExplainRequest request, long timestamp, String topic, int partition, long offset) {}

    private final ExplanationService service;
    private final int batchSize;
    private final Duration linger;
    private final SpotlightMetrics metrics;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, Buffered> buffer;

    ExplainProcessor(ExplanationService service, int batchSize, Duration linger, SpotlightMetrics metrics,
                     DeadLetters deadLetters, Clock clock) {
        this.service = service;
        this.batchSize = batchSize;
        this.linger = linger;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.buffer = context.getStateStore(BUFFER_STORE);
        context.schedule(linger, PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(Record<String, ExplainRequest> record) {
        var meta = context.recordMetadata().orElse(null);
        long offset = meta == null ? System.nanoTime() : meta.offset();
        String topic = meta == null ? "unknown" : meta.topic();
        int partition = meta == null ? -1 : meta.partition();
        // Requests reach this task from several topics (sampled predictions, the label join) whose offsets
        // overlap, and one record can join several labels: source and request are part of the key.
        // Offset first keeps batches roughly in arrival order.
        ExplainRequest request = record.value();
        String key = String.format("%020d %s-%d %s %s", offset, topic, partition, request.event().id(), request.trueClass());
        buffer.put(key, new Buffered(request, record.timestamp(), topic, partition, offset));
        if (buffer.approximateNumEntries() >= batchSize) {
            flush();
        }
    }

    private void flush() {
        List<KeyValue<String, Buffered>> batch = new ArrayList<>();
        try (KeyValueIterator<String, Buffered> it = buffer.all()) {
            while (it.hasNext()) {
                batch.add(it.next());
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        List<Outcome> outcomes = service.explain(batch.stream().map(kv -> kv.value.request()).toList());
        metrics.batch(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Buffered b = batch.get(i).value;
            Outcome outcome = outcomes.get(i);
            if (outcome instanceof Outcome.Explained e) {
                ExplanationEvent event = e.event();
                event.explanations().forEach(m -> metrics.explained(m.method(), event.model().id(), event.model().version(), m.elapsedMs()));
                metrics.explanationEvent(event.model().id(), event.model().version());
                metrics.scores(event);
                metrics.latency(event.model().id(), Duration.between(event.predictionTimestamp(), clock.instant()));
                // Explanations carry the prediction's event time, so drift windows are windows of predictions.
                context.forward(new Record<>(event.id(), event, event.predictionTimestamp().toEpochMilli()));
            } else if (outcome instanceof Outcome.Analysed a) {
                MisclassificationEvent event = a.event();
                metrics.misclassification(event.model().id(), event.model().version(), event.diagnosis().code());
                context.forward(new Record<>(event.predictionId(), event, b.timestamp()));
            } else {
                Outcome.Failed f = (Outcome.Failed) outcome;
                // The original record was parsed long ago; the letter carries the event as parsed.
                DeadLetter letter = deadLetters.of(f.reason(), f.message(), "explain", b.topic(), b.partition(), b.offset(),
                        b.timestamp(), b.request().event().id(), b.request().event().id(), Json.bytes(b.request().event()));
                context.forward(new Record<>(b.request().event().id(), letter, b.timestamp()));
            }
            buffer.delete(batch.get(i).key);
        }
    }
}

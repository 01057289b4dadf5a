package io.spotlight.topology;

import io.spotlight.containment.DeadLetters;
import io.spotlight.events.DeadLetter;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Json;
import io.spotlight.events.MisclassificationEvent;
import io.spotlight.events.PredictionEvent;
import io.spotlight.explanation.ExplainRequest;
import io.spotlight.explanation.ExplanationService;
import io.spotlight.explanation.Outcome;
import io.spotlight.metrics.SpotlightMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * explain: buffers requests in a changelogged store and explains them together when the batch is
 * full, when no request has arrived for {@code idle} (the input is idle: a lone record goes at
 * once, a burst together), or at the latest after {@code linger} (wall clock), so a restart loses
 * nothing that was consumed and the batch is explained by whichever instance owns the partition
 * next. Every attempt is committed at once rather than at the next commit interval, so its
 * explanations become visible without waiting.
 *
 * <p>Every attempt is counted on disk before it starts ({@link AttemptLog}). A request whose
 * attempt never ended (an Error was thrown, or the process died in it) is tried again alone, so it
 * takes no other down with it, and after {@code maxAttempts} is dead-lettered as explain-crashed.
 * A request the engine failed on (not the record) waits a backoff and is tried again.
 */
final class ExplainProcessor implements Processor<String, ExplainRequest, String, Object> {

    static final String BUFFER_STORE = "explain-buffer";
    static final String STAGE = "explain";
    private static final Logger log = LoggerFactory.getLogger(ExplainProcessor.class);

    /** A buffered request with the timestamp and source of the record that carried it, and its retries so far. */
    record Buffered(ExplainRequest request, long timestamp, String topic, int partition, long offset, int retries, long notBefore) {

        Buffered retried(long notBefore) {
            return new Buffered(request, timestamp, topic, partition, offset, retries + 1, notBefore);
        }

        Buffered with(ExplainRequest r) {
            return new Buffered(r, timestamp, topic, partition, offset, retries, notBefore);
        }
    }

    private final ExplanationService service;
    private final ExplainSettings settings;
    private final PredictionLookup lookup;
    private final SpotlightMetrics metrics;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, Buffered> buffer;
    private AttemptLog attempts;
    private String task;
    private int sinceFlush;
    /** Wall-clock times of the last request and of the first one since the last flush (-1: none seen). */
    private long lastArrival = -1;
    private long firstArrival = -1;

    ExplainProcessor(ExplanationService service, ExplainSettings settings, PredictionLookup lookup, SpotlightMetrics metrics,
                     DeadLetters deadLetters, Clock clock) {
        this.service = service;
        this.settings = settings;
        this.lookup = lookup;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.buffer = context.getStateStore(BUFFER_STORE);
        this.task = context.taskId().toString();
        // Beside the task's directory, which Kafka Streams wipes after an unclean stop under exactly-once.
        Path dir = context.stateDir().toPath().toAbsolutePath().getParent().resolve("explain-attempts");
        this.attempts = AttemptLog.open(dir.resolve(task + ".json"), clock.millis());
        if (attempts.unfinished() > 0) {
            log.warn("{} requests of task {} were being explained when the process last stopped; each is tried alone now", attempts.unfinished(), task);
            metrics.explainCrashed("interrupted", attempts.unfinished());
        }
        context.schedule(settings.idle(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    /** A partial batch goes when the input has been idle for {@code idle}, or has waited {@code linger} (a restored one at once). */
    private void punctuate(long now) {
        boolean idleNow = lastArrival < 0 || now - lastArrival >= settings.idle().toMillis();
        boolean waited = firstArrival >= 0 && now - firstArrival >= settings.linger().toMillis();
        if (idleNow || waited) {
            flush();
        }
    }

    @Override
    public void process(Record<String, ExplainRequest> record) {
        var meta = context.recordMetadata().orElse(null);
        long offset = meta == null ? System.nanoTime() : meta.offset();
        String topic = meta == null ? "unknown" : meta.topic();
        int partition = meta == null ? -1 : meta.partition();
        ExplainRequest request = record.value();
        String missing = request == null ? null : request.missing();
        if (request == null || missing != null) {
            // Whatever was written onto the explain-requests topic besides the gate's requests.
            DeadLetter letter = request == null
                    ? deadLetters.refused(DeadLetter.Reason.TOMBSTONE, "a record without a value (a tombstone) is not an explain request",
                            STAGE, Origins.of(meta, record.timestamp(), record.key(), record.headers(), null), null)
                    : deadLetters.refused(DeadLetter.Reason.SCHEMA_INVALID, "an explain request with " + missing, STAGE,
                            Origins.of(meta, record.timestamp(), record.key(), record.headers(), Json.bytes(request)), null);
            context.forward(new Record<>(DeadLetters.key(letter), letter, clock.millis()));
            return;
        }
        // Requests reach this task from several topics (sampled predictions, the label join) whose offsets
        // overlap, and one record can join several labels: source and request are part of the key.
        // Offset first keeps batches roughly in arrival order.
        String key = String.format("%020d %s-%d %s %s", offset, topic, partition, request.event().id(), request.trueClass());
        buffer.put(key, new Buffered(request, record.timestamp(), topic, partition, offset, 0, 0));
        lastArrival = context.currentSystemTimeMs();
        firstArrival = firstArrival < 0 ? lastArrival : firstArrival;
        int batchSize = settings.batchSize().records();
        if (batchSize > 0 && ++sinceFlush >= batchSize) {
            flush();
        }
    }

    /**
     * One attempt per call: a request an earlier attempt never finished, alone (it may fail or kill
     * the process again, and must take no other with it), else the next batch. One batch a call
     * keeps a transaction to about one batch, which start-up sizes to transaction.timeout.ms.
     */
    private void flush() {
        int batchSize = settings.batchSize().records();
        if (batchSize == 0) {
            // Start-up has not measured this host yet: what arrives waits in the buffer (committed with its input's offset).
            return;
        }
        sinceFlush = 0;
        firstArrival = -1;
        // Kafka Streams' wall clock (the test driver's in tests): backoffs are waited in it.
        long now = context.currentSystemTimeMs();
        List<KeyValue<String, Buffered>> fresh = new ArrayList<>();
        List<KeyValue<String, Buffered>> unfinished = new ArrayList<>();
        try (KeyValueIterator<String, Buffered> it = buffer.all()) {
            while (it.hasNext()) {
                KeyValue<String, Buffered> kv = it.next();
                if (kv.value.notBefore() <= now) {
                    (attempts.attempts(kv.key) > 0 ? unfinished : fresh).add(kv);
                }
            }
        }
        metrics.explainBuffered(task, buffer.approximateNumEntries());
        // The least tried first: a batch's innocent members are done before its culprit's next try.
        unfinished.sort(Comparator.comparingInt(kv -> attempts.attempts(kv.key)));
        for (KeyValue<String, Buffered> kv : unfinished) {
            if (attempts.attempts(kv.key) >= settings.maxAttempts()) {
                deadLetter(kv, DeadLetter.Reason.EXPLAIN_CRASHED, "no attempt to explain it ended, in " + attempts.attempts(kv.key)
                        + " tries (explain.max-attempts): it made the process fail or die each time");
                attempts.end(List.of(kv.key));
            } else {
                attempt(List.of(kv));
                return;
            }
        }
        if (!fresh.isEmpty()) {
            attempt(fresh.subList(0, Math.min(fresh.size(), batchSize)));
        }
    }

    /** One attempt at a batch: counted on disk first, then explained; an attempt that throws leaves its count behind. */
    private void attempt(List<KeyValue<String, Buffered>> entries) {
        List<KeyValue<String, Buffered>> batch = withInputs(entries);
        if (batch.isEmpty()) {
            return;
        }
        List<String> keys = batch.stream().map(kv -> kv.key).toList();
        attempts.begin(keys, clock.millis());
        List<Outcome> outcomes;
        try {
            outcomes = service.explain(batch.stream().map(kv -> kv.value.request()).toList());
        } catch (Throwable t) {
            // As if the process had died here: the counts stay, and each request is tried alone next.
            log.error("explaining a batch of {} failed outside any record's handling; each is tried alone next", batch.size(), t);
            metrics.explainCrashed("error", batch.size());
            return;
        }
        metrics.batch(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            publish(batch.get(i), outcomes.get(i));
        }
        attempts.end(keys);
        // A transaction then holds about one batch, which start-up checks against transaction.timeout.ms.
        context.commit();
    }

    private void publish(KeyValue<String, Buffered> kv, Outcome outcome) {
        Buffered b = kv.value;
        if (outcome instanceof Outcome.Explained e) {
            ExplanationEvent event = e.event();
            event.explanations().forEach(m -> metrics.explained(m.method(), event.model().id(), event.model().version(), m.elapsedMs()));
            metrics.explanationEvent(event.model().id(), event.model().version());
            metrics.scores(event);
            // Explanations carry the prediction's event time, so drift windows are windows of predictions.
            context.forward(new Record<>(event.id(), event, event.predictionTimestamp().toEpochMilli()));
        } else if (outcome instanceof Outcome.Analysed a) {
            MisclassificationEvent event = a.event();
            metrics.misclassification(event.model().id(), event.model().version(), event.diagnosis().code());
            context.forward(new Record<>(event.predictionId(), event, b.timestamp()));
        } else {
            Outcome.Failed f = (Outcome.Failed) outcome;
            if (f.retriable()) {
                retryLater(kv, f.message());
                return;
            }
            deadLetter(kv, f.reason(), f.message());
            return;
        }
        buffer.delete(kv.key);
    }

    /**
     * The entries ready to explain: an analysis, which travels without its input, gets it read back
     * from the prediction's record; one whose record is gone is dead-lettered, one that cannot be
     * read now waits.
     */
    private List<KeyValue<String, Buffered>> withInputs(List<KeyValue<String, Buffered>> entries) {
        List<KeyValue<String, Buffered>> ready = new ArrayList<>(entries.size());
        for (KeyValue<String, Buffered> kv : entries) {
            ExplainRequest r = kv.value.request();
            if (!r.needsInput()) {
                ready.add(kv);
                continue;
            }
            Optional<PredictionEvent> read;
            try {
                read = lookup.read(r.source());
            } catch (PredictionLookup.Unavailable e) {
                retryLater(kv, e.getMessage());
                continue;
            }
            if (read.isEmpty() || !read.get().id().equals(r.event().id()) || read.get().input() == null) {
                deadLetter(kv, DeadLetter.Reason.INPUT_UNAVAILABLE, "the input of " + r.event().id() + " cannot be read back from " + r.source()
                        + " (past the topic's retention?)");
                continue;
            }
            KeyValue<String, Buffered> withInput = KeyValue.pair(kv.key, kv.value.with(r.withInput(read.get().input())));
            ready.add(withInput);
        }
        return ready;
    }

    private void retryLater(KeyValue<String, Buffered> kv, String why) {
        Buffered b = kv.value;
        if (b.retries() >= settings.maxRetries()) {
            deadLetter(kv, DeadLetter.Reason.EXPLAIN_FAILED, "still failing after " + b.retries() + " retries (explain.max-retries): " + why);
            return;
        }
        Duration wait = settings.backoff(b.retries() + 1);
        log.warn("explaining {} failed, not for the record's sake ({}); retry {} in {} ms", b.request().event().id(), why, b.retries() + 1, wait.toMillis());
        metrics.explainRetried("engine");
        // Stored as it was received: an input read back is read again next time.
        buffer.put(kv.key, buffer.get(kv.key).retried(context.currentSystemTimeMs() + wait.toMillis()));
    }

    private void deadLetter(KeyValue<String, Buffered> kv, DeadLetter.Reason reason, String message) {
        Buffered b = kv.value;
        PredictionEvent e = b.request().event();
        // The original record was parsed long ago; the letter carries the event as parsed.
        DeadLetter letter = deadLetters.refused(reason, message, STAGE, new DeadLetters.Origin(b.topic(), b.partition(), b.offset(), b.timestamp(),
                e.id().getBytes(StandardCharsets.UTF_8), null, Json.bytes(e)), e.id());
        context.forward(new Record<>(DeadLetters.key(letter), letter, clock.millis()));
        buffer.delete(kv.key);
    }
}

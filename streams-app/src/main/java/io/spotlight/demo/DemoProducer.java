package io.spotlight.demo;

import io.spotlight.events.Json;
import io.spotlight.events.Label;
import io.spotlight.kafka.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes demo traffic at a steady rate until stopped or a count is reached, with each record's
 * timestamp the prediction's time; and, for a share of the predictions, their true labels a little
 * later on the labels topic, as a review process would.
 */
public final class DemoProducer implements Runnable, AutoCloseable {

    /** Labels for {@code share} of the predictions, {@code delay} events after them. */
    public record Labels(String topic, double share, int delay) {
        /** Whether the prediction gets a label: a fixed share chosen by id, so tests know which. */
        public boolean covers(String predictionId) {
            return Math.floorMod(predictionId.hashCode(), 1000) < share * 1000;
        }
    }

    private record Pending(long due, String predictionId, int trueClass) {}

    private final DemoTraffic traffic;
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final TrafficFormat format;
    private final double ratePerSecond;
    private final long limit;
    private final Clock clock;
    private final Labels labels;
    private final ArrayDeque<Pending> pendingLabels = new ArrayDeque<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong labelled = new AtomicLong();
    private volatile boolean running = true;
    private volatile Exception failure;

    /** To an unsecured broker (the in-process one): Spotlight's own events, without labels. */
    public DemoProducer(DemoTraffic traffic, String bootstrap, String topic, double ratePerSecond, long limit, Clock clock) {
        this(traffic, KafkaClients.plaintext(bootstrap), topic, TrafficFormat.SPOTLIGHT, ratePerSecond, limit, clock, null);
    }

    /** To an unsecured broker (the in-process one). */
    public DemoProducer(DemoTraffic traffic, String bootstrap, String topic, TrafficFormat format, double ratePerSecond, long limit,
                        Clock clock, Labels labels) {
        this(traffic, KafkaClients.plaintext(bootstrap), topic, format, ratePerSecond, limit, clock, labels);
    }

    /** {@code topic}: Spotlight's predictions topic, where the format writes there; the others name their own. */
    public DemoProducer(DemoTraffic traffic, KafkaClients clients, String topic, TrafficFormat format, double ratePerSecond, long limit,
                        Clock clock, Labels labels) {
        this.labels = labels;
        this.format = format;
        this.traffic = traffic;
        this.topic = topic;
        this.ratePerSecond = ratePerSecond;
        this.limit = limit;
        this.clock = clock;
        this.producer = clients.producer("spotlight-demo-producer", Map.of(ProducerConfig.LINGER_MS_CONFIG, 5));
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        try {
            for (long n = 0; running && (limit <= 0 || n < limit); n++) {
                long due = start + (long) (n * 1e9 / ratePerSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                Instant at = clock.instant();
                DemoTraffic.Event e = traffic.next(n, at);
                for (TrafficFormat.Out out : format.encode(e, at, topic)) {
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>(out.topic(), null, at.toEpochMilli(), out.key(), out.value());
                    out.headers().forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
                    producer.send(record, this::sent);
                    records.incrementAndGet();
                }
                sent.incrementAndGet();
                if (labels != null && !e.broken() && labels.covers(e.id())) {
                    pendingLabels.add(new Pending(n + labels.delay(), e.id(), e.label()));
                }
                sendDueLabels(n, at, false);
            }
            sendDueLabels(Long.MAX_VALUE, clock.instant(), true);
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failure = e;
        } finally {
            running = false;
        }
    }

    private void sendDueLabels(long n, Instant at, boolean all) {
        while (!pendingLabels.isEmpty() && (all || pendingLabels.peek().due() <= n)) {
            Pending l = pendingLabels.poll();
            byte[] json = Json.bytes(new Label(l.predictionId(), l.trueClass(), at, "spotlight-demo"));
            producer.send(new ProducerRecord<>(labels.topic(), null, at.toEpochMilli(), l.predictionId(), json), this::sent);
            labelled.incrementAndGet();
        }
    }

    /** Sends fail asynchronously; the first failure is kept for {@link #failure()}. */
    private void sent(RecordMetadata metadata, Exception e) {
        if (e != null && failure == null) {
            failure = e;
        }
    }

    public long labelled() {
        return labelled.get();
    }

    /** Predictions sent (a model server's format sends two records for each). */
    public long sent() {
        return sent.get();
    }

    /** Prediction records sent, labels not counted. */
    public long records() {
        return records.get();
    }

    public boolean running() {
        return running;
    }

    public Exception failure() {
        return failure;
    }

    public void stop() {
        running = false;
    }

    @Override
    public void close() {
        running = false;
        producer.close();
    }
}

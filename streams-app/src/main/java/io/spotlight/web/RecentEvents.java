package io.spotlight.web;

import io.spotlight.events.AlertEvent;
import io.spotlight.events.DriftEvent;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Input;
import io.spotlight.events.Json;
import io.spotlight.events.MisclassificationEvent;
import io.spotlight.events.ModelRef;
import io.spotlight.events.PredictionEvent;
import io.spotlight.kafka.KafkaClients;
import io.spotlight.kafka.PollLoop;
import io.spotlight.topology.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What the web view shows: the latest explanations, alerts, misclassifications and drift windows
 * (committed records only), and the inputs of recent predictions so that figures can overlay maps
 * on them. A consumer of its own, with no group and no commits: it never touches the stream's offsets.
 * What it holds is bounded in count and in bytes ({@code cacheBytes}, each record's published
 * size): half for inputs, a quarter for explanations, the rest for the other kinds.
 */
public final class RecentEvents implements AutoCloseable {

    static final int KEEP = 200;
    static final int INPUTS = 5000;

    private final Topics topics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final PollLoop<String, byte[]> loop;
    private final ByteBoundedCache<String, ExplanationEvent> explanations;
    private final ByteBoundedCache<String, AlertEvent> alerts;
    private final ByteBoundedCache<String, MisclassificationEvent> misclassifications;
    private final ByteBoundedCache<String, DriftEvent> drift;
    private final ByteBoundedCache<String, Input> inputs;

    public RecentEvents(KafkaClients clients, Topics topics, long cacheBytes) {
        this.topics = topics;
        this.inputs = new ByteBoundedCache<>(INPUTS, cacheBytes / 2);
        this.explanations = new ByteBoundedCache<>(KEEP, cacheBytes / 4);
        this.misclassifications = new ByteBoundedCache<>(KEEP, cacheBytes / 8);
        this.alerts = new ByteBoundedCache<>(KEEP, cacheBytes / 16);
        this.drift = new ByteBoundedCache<>(KEEP, cacheBytes / 16);
        this.consumer = clients.reader("spotlight-web-view");
        this.loop = new PollLoop<>("spotlight-web-view", "the web view stopped reading events", consumer, Duration.ofMillis(500),
                this::assign, this::take);
    }

    private void assign() {
        List<TopicPartition> parts = new ArrayList<>();
        for (String t : List.of(topics.predictions(), topics.explanations(), topics.alerts(), topics.misclassifications(), topics.attentionDrift())) {
            consumer.partitionsFor(t, Duration.ofSeconds(30)).forEach(p -> parts.add(new TopicPartition(t, p.partition())));
        }
        consumer.assign(parts);
        Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
        // Start a little before the end: a recent history, not the whole topics.
        ends.forEach((p, end) -> consumer.seek(p, Math.max(0, end - (p.topic().equals(topics.predictions()) ? INPUTS / 4 : KEEP))));
    }

    private synchronized void take(ConsumerRecord<String, byte[]> r) {
        try {
            String t = r.topic();
            long size = r.value().length;
            if (t.equals(topics.predictions())) {
                PredictionEvent e = Json.read(r.value(), PredictionEvent.class);
                if (e.id() != null && e.input() != null) {
                    inputs.put(e.id(), e.input(), size);
                }
            } else if (t.equals(topics.explanations())) {
                ExplanationEvent e = Json.read(r.value(), ExplanationEvent.class);
                explanations.put(e.id(), e, size);
            } else if (t.equals(topics.alerts())) {
                alerts.put(r.partition() + ":" + r.offset(), Json.read(r.value(), AlertEvent.class), size);
            } else if (t.equals(topics.misclassifications())) {
                MisclassificationEvent m = Json.read(r.value(), MisclassificationEvent.class);
                misclassifications.put(m.id(), m, size);
            } else if (t.equals(topics.attentionDrift())) {
                DriftEvent d = Json.read(r.value(), DriftEvent.class);
                drift.put(driftKey(d.model(), d.predictedClass()), d, size);
            }
        } catch (RuntimeException e) {
            // Malformed predictions are the dead-letter topic's business; the view skips them.
        }
    }

    public synchronized List<ExplanationEvent> explanations() {
        return explanations.newestFirst();
    }

    public synchronized List<AlertEvent> alerts() {
        return alerts.newestFirst();
    }

    public synchronized List<MisclassificationEvent> misclassifications() {
        return misclassifications.newestFirst();
    }

    public synchronized Map<String, DriftEvent> drift() {
        return new TreeMap<>(drift.asMap());
    }

    /** The latest drift window of a model version and predicted class ("all" for every class). */
    public synchronized Optional<DriftEvent> drift(ModelRef model, String predictedClass) {
        return Optional.ofNullable(drift.get(driftKey(model, predictedClass)));
    }

    /** Drift windows are held by "id:version|class". */
    private static String driftKey(ModelRef model, String predictedClass) {
        return model + "|" + predictedClass;
    }

    public synchronized Optional<ExplanationEvent> explanation(String id) {
        return Optional.ofNullable(explanations.get(id));
    }

    public synchronized Optional<MisclassificationEvent> misclassification(String id) {
        return Optional.ofNullable(misclassifications.get(id));
    }

    public synchronized Optional<Input> input(String predictionId) {
        return Optional.ofNullable(inputs.get(predictionId));
    }

    /** How many of each kind are held (for the page's header and tests). */
    public synchronized Map<String, Integer> counts() {
        Map<String, Integer> c = new TreeMap<>();
        c.put("explanations", explanations.size());
        c.put("alerts", alerts.size());
        c.put("misclassifications", misclassifications.size());
        c.put("drift", drift.size());
        c.put("inputs", inputs.size());
        return c;
    }

    /** The bytes held, all kinds together (never more than the budget). */
    public synchronized long bytes() {
        return inputs.bytes() + explanations.bytes() + misclassifications.bytes() + alerts.bytes() + drift.bytes();
    }

    @Override
    public void close() {
        loop.close();
    }
}

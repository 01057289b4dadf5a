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
import io.spotlight.topology.Topics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the web view shows: the latest explanations, alerts, misclassifications and drift windows
 * (committed records only), and the inputs of recent predictions so that figures can overlay maps
 * on them. A consumer of its own, with no group and no commits: it never touches the stream's offsets.
 */
public final class RecentEvents implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RecentEvents.class);
    static final int KEEP = 200;
    static final int INPUTS = 5000;

    private final Topics topics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final Deque<ExplanationEvent> explanations = new ArrayDeque<>();
    private final Deque<AlertEvent> alerts = new ArrayDeque<>();
    private final Deque<MisclassificationEvent> misclassifications = new ArrayDeque<>();
    private final Map<String, DriftEvent> drift = new TreeMap<>();
    private final Map<String, Input> inputs = new LinkedHashMap<>(INPUTS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Input> eldest) {
            return size() > INPUTS;
        }
    };
    private volatile boolean running = true;

    public RecentEvents(KafkaClients clients, Topics topics) {
        this.topics = topics;
        this.consumer = clients.reader("spotlight-web-view");
        this.thread = new Thread(this::run, "spotlight-web-view");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : List.of(topics.predictions(), topics.explanations(), topics.alerts(), topics.misclassifications(), topics.attentionDrift())) {
                consumer.partitionsFor(t, Duration.ofSeconds(30)).forEach(p -> parts.add(new TopicPartition(t, p.partition())));
            }
            consumer.assign(parts);
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
            // Start a little before the end: a recent history, not the whole topics.
            ends.forEach((p, end) -> consumer.seek(p, Math.max(0, end - (p.topic().equals(topics.predictions()) ? INPUTS / 4 : KEEP))));
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    take(r);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.warn("the web view stopped reading events: {}", e.toString());
        } finally {
            consumer.close();
        }
    }

    private synchronized void take(ConsumerRecord<String, byte[]> r) {
        try {
            String t = r.topic();
            if (t.equals(topics.predictions())) {
                PredictionEvent e = Json.read(r.value(), PredictionEvent.class);
                if (e.id() != null && e.input() != null) {
                    inputs.put(e.id(), e.input());
                }
            } else if (t.equals(topics.explanations())) {
                push(explanations, Json.read(r.value(), ExplanationEvent.class));
            } else if (t.equals(topics.alerts())) {
                push(alerts, Json.read(r.value(), AlertEvent.class));
            } else if (t.equals(topics.misclassifications())) {
                push(misclassifications, Json.read(r.value(), MisclassificationEvent.class));
            } else if (t.equals(topics.attentionDrift())) {
                DriftEvent d = Json.read(r.value(), DriftEvent.class);
                drift.put(driftKey(d.model(), d.predictedClass()), d);
            }
        } catch (RuntimeException e) {
            // Malformed predictions are the dead-letter topic's business; the view skips them.
        }
    }

    private static <T> void push(Deque<T> deque, T value) {
        deque.addFirst(value);
        while (deque.size() > KEEP) {
            deque.removeLast();
        }
    }

    public synchronized List<ExplanationEvent> explanations() {
        return List.copyOf(explanations);
    }

    public synchronized List<AlertEvent> alerts() {
        return List.copyOf(alerts);
    }

    public synchronized List<MisclassificationEvent> misclassifications() {
        return List.copyOf(misclassifications);
    }

    public synchronized Map<String, DriftEvent> drift() {
        return new TreeMap<>(drift);
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
        return explanations.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    public synchronized Optional<MisclassificationEvent> misclassification(String id) {
        return misclassifications.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    public synchronized Optional<Input> input(String predictionId) {
        return Optional.ofNullable(inputs.get(predictionId));
    }

    /** How many of each kind are held (for the page's header and tests). */
    public synchronized Map<String, Integer> counts() {
        Map<String, Integer> c = new HashMap<>();
        c.put("explanations", explanations.size());
        c.put("alerts", alerts.size());
        c.put("misclassifications", misclassifications.size());
        c.put("drift", drift.size());
        c.put("inputs", inputs.size());
        return c;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.spotlight.testing;

import io.spotlight.demo.DemoTraffic;
import io.spotlight.events.DeadLetter;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.Json;
import io.spotlight.events.PredictionEvent;
import io.spotlight.sampling.SamplingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What reached the output topics, as a consumer sees it (read_committed): the explanations per
 * prediction id, and the dead letters. The fault tests compare it with what the sampler picks.
 */
public final class Explained {

    private final Map<String, Integer> explanations = new HashMap<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();

    /** The predictions of demo traffic events [0, n) that the policy samples (broken events excluded). */
    public static Set<String> sampled(DemoTraffic traffic, long n, Instant t0, SamplingPolicy policy) {
        Set<String> out = new TreeSet<>();
        for (long i = 0; i < n; i++) {
            DemoTraffic.Event e = traffic.next(i, t0);
            if (!e.broken() && policy.decide(Json.read(e.json(), PredictionEvent.class)).sampled()) {
                out.add(e.id());
            }
        }
        return out;
    }

    /**
     * Reads the explanations and dead letters until {@code done} holds and then nothing new came for
     * a few seconds, or the timeout passes.
     */
    public static Explained read(String bootstrap, String explanationsTopic, String deadLetterTopic, Duration timeout,
                                 Predicate<Explained> done) {
        Explained out = new Explained();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "fault-reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(explanationsTopic, deadLetterTopic));
            long deadline = System.nanoTime() + timeout.toNanos();
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline && !(done.test(out) && System.nanoTime() - quietSince > Duration.ofSeconds(3).toNanos())) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    quietSince = System.nanoTime();
                }
                records.forEach(r -> {
                    if (r.topic().equals(explanationsTopic)) {
                        out.explanations.merge(Json.read(r.value(), ExplanationEvent.class).predictionId(), 1, Integer::sum);
                    } else {
                        out.deadLetters.add(Json.read(r.value(), DeadLetter.class));
                    }
                });
            }
        }
        return out;
    }

    /** Explanation events per prediction id. */
    public Map<String, Integer> explanations() {
        return explanations;
    }

    public List<DeadLetter> deadLetters() {
        return deadLetters;
    }

    /** Sampled predictions with no explanation. */
    public Set<String> lost(Set<String> sampled) {
        Set<String> lost = new TreeSet<>(sampled);
        lost.removeAll(explanations.keySet());
        return lost;
    }

    /** Predictions explained more than once. */
    public Set<String> duplicated() {
        Set<String> dup = new TreeSet<>();
        explanations.forEach((id, n) -> {
            if (n > 1) {
                dup.add(id);
            }
        });
        return dup;
    }
}

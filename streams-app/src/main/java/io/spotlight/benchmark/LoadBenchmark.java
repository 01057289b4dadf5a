package io.spotlight.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.search.Search;
import io.spotlight.app.SpotlightApplication;
import io.spotlight.attribution.Explainer;
import io.spotlight.attribution.MethodCall;
import io.spotlight.attribution.Subject;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.demo.DemoTraffic;
import io.spotlight.events.Json;
import io.spotlight.explanation.ExplanationPlan;
import io.spotlight.kafka.KafkaClients;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.SampleData;
import io.spotlight.sampling.SamplingReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The real topology under load: Spotlight (role all, exactly-once) on a broker, one model at a time,
 * every prediction sampled and explained with the model's low-confidence plan. Predictions are sent
 * at a steady rate for a step; the rate is sustained when all of a step's explanations are
 * committed soon after its last prediction (a second, or two batches' time of the engine alone if
 * longer): the backlog did not grow. Rates double until one is not sustained, then
 * two bisections narrow the highest sustained rate; at half of it the end-to-end latency
 * (prediction timestamp to committed explanation, as a read_committed consumer sees it) gives
 * p50 and p99, beside those of Spotlight's own histogram. The engine alone (the same plan over
 * batches of records, no Kafka, no decoding) is the yardstick of the throughput.
 */
public record LoadBenchmark(String bootstrap, Duration step, Duration half, Path work) {

    /** One step: its rate, predictions sent and explained in time, end-to-end latency quantiles (ms). */
    public record Step(double rate, long sent, long explainedInTime, double p50Ms, double p99Ms, boolean sustained) {}

    /** A model under load. */
    public record Row(String model, List<String> plan, double engineAlonePerSecond, double sustainedPerSecond, Step half,
                      double histogramP50Ms, double histogramP99Ms, List<Step> ramp) {
        public double ratio() {
            return sustainedPerSecond / engineAlonePerSecond;
        }
    }

    /** Measures a model registered with these settings; {@code model} (loaded here) makes the traffic and times the engine alone. */
    public Row measure(LoadedModel model, SpotlightConfig base) throws Exception {
        String id = model.card().id();
        List<MethodCall> plan = ExplanationPlan.from(base).calls(model.card(), SamplingReason.LOW_CONFIDENCE);
        double engine = engineAlone(model, plan);
        Path registry = work.resolve("load-" + id + "-registry.json");
        ObjectNode entry = Json.MAPPER.createObjectNode().put("card", model.card().directory().resolve("model.json").toString())
                .put("chunk", model.settings().chunk()).put("pass-overhead", model.settings().passOverhead());
        Files.writeString(registry, Json.MAPPER.createObjectNode().set("models", Json.MAPPER.createArrayNode().add(entry)).toString());
        String prefix = "load-" + id + "-" + System.currentTimeMillis() + "-";
        SpotlightConfig config = base.with(Map.ofEntries(
                Map.entry("bootstrap.servers", bootstrap), Map.entry("application.id", prefix + "app"),
                Map.entry("models.registry", registry.toString()), Map.entry("metrics.port", "0"), Map.entry("web.enabled", "false"),
                Map.entry("state.dir", work.resolve(prefix + "state").toString()),
                Map.entry("topics.predictions", prefix + "predictions"), Map.entry("topics.explanations", prefix + "explanations"),
                Map.entry("topics.dead-letter", prefix + "dlq"), Map.entry("topics.explain-requests", prefix + "requests"),
                Map.entry("topics.labels", prefix + "labels"), Map.entry("topics.misclassifications", prefix + "misclassifications"),
                Map.entry("topics.attention-drift", prefix + "drift"), Map.entry("topics.alerts", prefix + "alerts"),
                // Every prediction sampled, as baseline, explained with the low-confidence plan.
                Map.entry("sampling.low-confidence", "0"), Map.entry("sampling.margin", "0"), Map.entry("sampling.flags", ""),
                Map.entry("sampling.baseline-rate", "1"),
                Map.entry("explain.plan." + id + ".baseline", String.join(",", plan.stream().map(c -> c.method().id()).toList()))));
        List<ObjectNode> events = events(model);
        try (SpotlightApplication app = SpotlightApplication.start(config, SpotlightMetrics.prometheus());
             Traffic traffic = new Traffic(bootstrap, config.get("topics.predictions"), config.get("topics.explanations"), events)) {
            if (!app.awaitRunning(Duration.ofSeconds(120))) {
                throw new IllegalStateException("Spotlight did not start for " + model.card().ref());
            }
            // In time: within a second, or two batches of the engine alone, of the step's last prediction.
            traffic.grace = Duration.ofMillis(Math.max(1000, Math.round(2 * 16 * 1000 / engine)));
            traffic.run(Math.max(1, engine / 32), Duration.ofSeconds(5), "warm"); // topics, assignment, first batches
            List<Step> ramp = new ArrayList<>();
            double rate = Math.max(1, Math.floor(engine / 16));
            double lo = 0;
            double hi = Double.NaN;
            while (rate <= 4 * engine) {
                Step s = traffic.run(rate, step, "r" + ramp.size());
                ramp.add(s);
                print(id, s);
                if (!s.sustained()) {
                    hi = rate;
                    break;
                }
                lo = rate;
                rate *= 2;
            }
            for (int i = 0; i < 2 && !Double.isNaN(hi) && lo > 0; i++) {
                double mid = Math.round(Math.sqrt(lo * hi));
                Step s = traffic.run(mid, step, "b" + i);
                ramp.add(s);
                print(id, s);
                if (s.sustained()) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            Timer histogram = Search.in(app.metrics().registry()).name("spotlight.explanation.latency").tag("model", id).timer();
            CountAtBucket[] before = histogram == null ? new CountAtBucket[0] : histogram.takeSnapshot().histogramCounts();
            Step halfStep = traffic.run(Math.max(0.5, lo / 2), half, "half");
            print(id, halfStep);
            Thread.sleep(1000); // the latency consumer's last records
            CountAtBucket[] after = histogram == null ? new CountAtBucket[0] : histogram.takeSnapshot().histogramCounts();
            return new Row(model.card().ref().toString(), plan.stream().map(c -> c.method().id()).toList(), engine, lo, halfStep,
                    quantile(before, after, 0.5), quantile(before, after, 0.99), ramp);
        }
    }

    private static void print(String model, Step s) {
        System.out.printf(Locale.ROOT, "load %-22s %7.1f/s: %5d sent, %5d explained in time, p50 %7.1f ms, p99 %7.1f ms%s%n", model, s.rate(),
                s.sent(), s.explainedInTime(), s.p50Ms(), s.p99Ms(), s.sustained() ? "" : "  (not sustained)");
    }

    /** Explanations per second of the plan over batches of 16 of the model's records, in the engine alone. */
    static double engineAlone(LoadedModel model, List<MethodCall> plan) throws Exception {
        List<Subject> subjects = Subject.samples(model, 16);
        Explainer explainer = new Explainer();
        double ms = new Benchmark(2, 5).median(() -> explainer.explain(model, subjects, plan));
        return 16 * 1000 / ms;
    }

    /** A prediction event per shipped sample, as the model classifies it; id and time are set per send. */
    private static List<ObjectNode> events(LoadedModel model) {
        List<SampleData.Sample> samples = SampleData.of(model.card());
        if (samples.isEmpty()) {
            throw new IllegalArgumentException(model.card().ref() + " ships no samples to send");
        }
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < Math.min(64, samples.size()); i++) {
            out.add(DemoTraffic.predict("sample-" + i, model, samples.get(i), Instant.now()));
        }
        return out;
    }

    /** The q-quantile (ms) of what a cumulative histogram counted between two snapshots, interpolated in its bucket as Prometheus does. */
    static double quantile(CountAtBucket[] before, CountAtBucket[] after, double q) {
        if (after.length == 0) {
            return Double.NaN;
        }
        double[] counts = new double[after.length];
        for (int i = 0; i < after.length; i++) {
            counts[i] = after[i].count() - (before.length == after.length ? before[i].count() : 0);
        }
        double total = counts[counts.length - 1];
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lower = 0;
        double below = 0;
        for (int i = 0; i < counts.length; i++) {
            double upper = after[i].bucket(TimeUnit.MILLISECONDS);
            if (counts[i] >= rank) {
                return lower + (upper - lower) * (rank - below) / Math.max(1e-12, counts[i] - below);
            }
            lower = upper;
            below = counts[i];
        }
        return lower;
    }

    /** Sends predictions at a rate and collects their explanations' end-to-end latencies. */
    private static final class Traffic implements AutoCloseable {
        private final KafkaProducer<String, byte[]> producer;
        private final KafkaConsumer<String, byte[]> consumer;
        private final String topic;
        private final List<ObjectNode> events;
        private final Map<String, List<Double>> latencies = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread reader;
        /** How long after a step's last prediction its explanations count as in time. */
        private Duration grace = Duration.ofSeconds(1);

        Traffic(String bootstrap, String predictions, String explanations, List<ObjectNode> events) {
            this.topic = predictions;
            this.events = events;
            KafkaClients clients = KafkaClients.plaintext(bootstrap);
            this.producer = clients.producer("spotlight-load-producer", Map.of(ProducerConfig.LINGER_MS_CONFIG, 0));
            this.consumer = clients.reader("spotlight-load-latency");
            List<TopicPartition> parts = consumer.partitionsFor(explanations, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(explanations, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            this.reader = new Thread(this::read, "spotlight-load-latency");
            this.reader.setDaemon(true);
            this.reader.start();
        }

        private void read() {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    Instant now = Instant.now();
                    JsonNode e = Json.read(r.value(), JsonNode.class);
                    String prediction = e.path("prediction_id").asText();
                    double ms = Duration.between(Instant.parse(e.path("prediction_timestamp").asText()), now).toNanos() / 1e6;
                    latencies.computeIfAbsent(prediction.substring(0, prediction.indexOf('-')), k -> Collections.synchronizedList(new ArrayList<>()))
                            .add(ms);
                }
            }
        }

        /** A step: {@code rate} predictions per second for {@code duration}; sustained when all are explained within the grace after the last. */
        Step run(double rate, Duration duration, String name) throws InterruptedException {
            long n = Math.max(1, Math.round(rate * duration.toMillis() / 1000.0));
            long start = System.nanoTime();
            for (long i = 0; i < n; i++) {
                long wait = start + (long) (i * 1e9 / rate) - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                Instant at = Instant.now();
                ObjectNode event = events.get((int) (i % events.size())).deepCopy();
                String id = name + "-" + i;
                event.put("id", id).put("timestamp", at.toString());
                producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(), id, Json.bytes(event)));
            }
            producer.flush();
            Thread.sleep(grace.toMillis());
            long inTime = count(name);
            // Drain before the next step, so steps do not overlap.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (count(name) < n && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            List<Double> l = new ArrayList<>(latencies.getOrDefault(name, List.of()));
            Collections.sort(l);
            return new Step(rate, n, inTime, at(l, 0.5), at(l, 0.99), inTime >= n);
        }

        private long count(String name) {
            return latencies.getOrDefault(name, List.of()).size();
        }

        private static double at(List<Double> sorted, double q) {
            return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            reader.join(5000);
            consumer.close();
            producer.close();
        }
    }
}

package io.spotlight.cli;

import io.spotlight.config.SpotlightConfig;
import io.spotlight.demo.DemoProducer;
import io.spotlight.demo.DemoTraffic;
import io.spotlight.demo.TrafficFormat;
import io.spotlight.kafka.KafkaClients;
import io.spotlight.model.ModelRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** How much demo traffic to send, how fast, and when its incident starts; shared by demo and produce. */
final class TrafficOptions {

    @Option(names = "--duration", paramLabel = "DURATION", description = "How long to produce, e.g. 60s, 5m (default: until Ctrl-C or --events).")
    String duration;

    @Option(names = "--events", description = "How many prediction events to produce (default: no limit).")
    long events;

    @Option(names = "--rate", description = "Prediction events per second (default: ${DEFAULT-VALUE}).", defaultValue = "20")
    double rate;

    @Option(names = "--seed", description = "Seed of the traffic (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    @Option(names = "--incident-after", paramLabel = "DURATION",
            description = "When watermarked images start arriving, served by the Clever-Hans model version (default: at 40 %% of --duration, else after 60s; 'never' for none).")
    String incidentAfter;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "spotlight",
            description = "How the predictions are written: spotlight (Spotlight's events on topics.predictions), oip-protobuf or oip-json "
                    + "(a model server's requests and responses on Seldon Core 2's topics seldon.default.model.<model>.inputs/.outputs), "
                    + "cloudevents or cloudevents-structured (KServe's payload logger on '" + TrafficFormat.KSERVE_TOPIC + "'). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--label-share", description = "Share of predictions whose true label is published later (default ${DEFAULT-VALUE}).", defaultValue = "0.3")
    double labelShare;

    Duration limit() {
        return duration == null ? null : parseDuration(duration);
    }

    /** The event number at which the incident starts, or -1. */
    long incidentEvent() {
        if ("never".equalsIgnoreCase(incidentAfter)) {
            return -1;
        }
        Duration limit = limit();
        Duration after = incidentAfter != null ? parseDuration(incidentAfter)
                : limit != null ? limit.multipliedBy(2).dividedBy(5) : Duration.ofSeconds(60);
        return (long) (after.toMillis() / 1000.0 * rate);
    }

    /** Labels two seconds' worth of events after their predictions. */
    DemoProducer.Labels labels(String topic) {
        return labelShare <= 0 ? null : new DemoProducer.Labels(topic, labelShare, (int) Math.max(1, 2 * rate));
    }

    /** The shipped models' traffic with --seed, the incident from {@link #incidentEvent()}. */
    DemoTraffic demoTraffic(ModelRegistry models) {
        return DemoTraffic.fromRegistry(models, seed, incidentEvent());
    }

    /** A producer of the traffic in --format (and labels to topics.labels) at --rate, up to --events. */
    DemoProducer producer(DemoTraffic traffic, SpotlightConfig config) {
        return new DemoProducer(traffic, KafkaClients.of(config), config.get("topics.predictions"), format(), rate, events, Clock.systemUTC(),
                labels(config.get("topics.labels")));
    }

    TrafficFormat format() {
        return TrafficFormat.of(format);
    }

    /** The topics the traffic goes to for these models (they are created before it starts). */
    List<String> topics(Collection<String> models, SpotlightConfig config) {
        return format().topics(models, config.get("topics.predictions"));
    }

    /** Runs the producer on a daemon thread of that name. */
    static Thread start(DemoProducer producer, String threadName) {
        Thread t = new Thread(producer, threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** How many events a run will produce: --events, else --rate over --duration; -1 when it runs until stopped. */
    long expectedEvents() {
        Duration limit = limit();
        long byTime = limit == null ? -1 : (long) (rate * limit.toMillis() / 1000.0);
        return events > 0 ? (byTime < 0 ? events : Math.min(events, byTime)) : byTime;
    }

    /** Whether a run that started at startNanos ({@link System#nanoTime()}) is still within the limit (null: none). */
    static boolean withinLimit(Duration limit, long startNanos) {
        return limit == null || System.nanoTime() - startNanos < limit.toNanos();
    }

    static Duration parseDuration(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofSeconds(Long.parseLong(v));
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("expected a duration such as 90s, 5m or 1h, got '" + s + "'");
        }
    }
}

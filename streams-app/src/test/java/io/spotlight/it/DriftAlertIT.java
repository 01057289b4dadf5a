package io.spotlight.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spotlight.app.SpotlightApplication;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.demo.DemoProducer;
import io.spotlight.demo.DemoTraffic;
import io.spotlight.events.AlertEvent;
import io.spotlight.events.DriftEvent;
import io.spotlight.events.ModelRef;
import io.spotlight.kafka.EmbeddedKafka;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.SampleData;
import io.spotlight.testing.DriftOutputs;
import io.spotlight.testing.Repository;
import io.spotlight.testing.SteppingClock;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Alerting end to end on a real broker: predictions of the clean CNN over 24 windows of event time
 * raise no alert against the pinned reference; then watermarked images served by the Clever-Hans
 * version raise one within three windows, with thresholds from the reference's null distributions.
 * Event time is synthetic (30 predictions per 5-second window), so the run takes seconds.
 */
class DriftAlertIT {

    static final Instant T0 = SteppingClock.anHourAgo();
    static final long WINDOW_MS = 5_000;
    static final int PER_WINDOW = 30;
    static final int CLEAN_WINDOWS = 24;

    @Test
    void cleanTrafficRaisesNothingAndTheShortcutRaisesAnAlertWithinThreeWindows() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            SpotlightConfig config = SpotlightConfig.load(null, Map.of(), DriftOutputs.compressedTime(kafka.bootstrapServers(), "drift-it",
                    Repository.root().resolve("models/registry.json"), Files.createTempDirectory("drift-it"), WINDOW_MS));
            try (SpotlightApplication app = SpotlightApplication.start(config, SpotlightMetrics.prometheus())) {
                assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
                LoadedModel clean = app.models().get(new ModelRef("fashion-cnn", "1"));
                long incidentAt = (long) CLEAN_WINDOWS * PER_WINDOW;
                DemoTraffic traffic = new DemoTraffic(List.of(new DemoTraffic.Source(clean, SampleData.of(clean.card()), 1)), 3, 0,
                        new DemoTraffic.Incident(incidentAt, app.models().get(new ModelRef("fashion-cnn", "2-shortcut"))));
                long total = incidentAt + 6L * PER_WINDOW;
                try (DemoProducer producer = new DemoProducer(traffic, kafka.bootstrapServers(), "predictions", 2000, total,
                        new SteppingClock(T0, Duration.ofMillis(WINDOW_MS / PER_WINDOW)))) {
                    producer.run();
                    assertThat(producer.failure()).isNull();
                    assertThat(producer.sent()).isEqualTo(total);
                }
                Instant incident = T0.plusMillis(WINDOW_MS / PER_WINDOW * incidentAt);

                try (DriftOutputs out = new DriftOutputs(kafka.bootstrapServers(), "drift-it-reader")) {
                    try {
                        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ZERO).untilAsserted(() -> {
                            out.poll(Duration.ofMillis(200));
                            assertThat(out.alerts).anyMatch(a -> a.state().equals("firing"));
                        });
                    } finally {
                        out.print();
                    }
                    // The windows' events are spread over partitions: read what the other partitions still hold.
                    for (int i = 0; i < 10; i++) {
                        out.poll(Duration.ofMillis(300));
                    }
                    List<DriftEvent> cleanWindows = out.windows("fashion-cnn").stream().filter(d -> d.model().version().equals("1")).toList();
                    assertThat(cleanWindows).as("clean windows compared with the pinned reference").hasSizeGreaterThanOrEqualTo(20)
                            .allSatisfy(d -> assertThat(d.reference().source()).isEqualTo("pinned"));
                    assertThat(out.alerts).as("no alert before the incident").noneMatch(a -> !a.windowEnd().isAfter(incident));
                    AlertEvent first = out.alerts.stream().filter(a -> a.state().equals("firing")).findFirst().orElseThrow();
                    assertThat(first.model().version()).isEqualTo("2-shortcut");
                    assertThat(first.thresholdSource()).as("no threshold in the cards: the null quantile for the window's size").isEqualTo("null-quantile");
                    assertThat(first.reference().source()).isEqualTo("pinned");
                    long windowsToDetection = Duration.between(incident, first.windowEnd()).toMillis() / WINDOW_MS;
                    System.out.printf("first alert %s (%s = %.3f) at the end of window %d after the incident; %d clean windows without alert%n",
                            first.rule(), first.figure(), first.value(), windowsToDetection, cleanWindows.size());
                    assertThat(windowsToDetection).as("windows from the incident to the alert").isLessThanOrEqualTo(3);
                    assertThat(first.examplePredictionIds()).as("evidence: predictions the shortcut version served after the incident")
                            .isNotEmpty().allSatisfy(id -> assertThat(Long.parseLong(id.substring("pred-".length()))).isGreaterThanOrEqualTo(incidentAt));
                }
            }
        }
    }
}

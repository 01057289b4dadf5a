package io.spotlight.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spotlight.app.SpotlightApplication;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.demo.DemoProducer;
import io.spotlight.demo.DemoTraffic;
import io.spotlight.events.AlertEvent;
import io.spotlight.events.DriftEvent;
import io.spotlight.events.Json;
import io.spotlight.events.ModelRef;
import io.spotlight.focus.DriftSettings;
import io.spotlight.kafka.EmbeddedKafka;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.SampleData;
import io.spotlight.testing.DriftOutputs;
import io.spotlight.testing.Repository;
import io.spotlight.testing.SteppingClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Out of the box on a real broker: two models, each deployed as a clean version and then a
 * Clever-Hans version that is bad from its first window, with no pinned reference and no threshold
 * in any card. The shipped fashion-cnn (a corner ring, a forbidden region in its card) and
 * catalogue-cnn, a test-only model the product was never tuned on (another architecture; a bar at
 * the top left; its card names no forbidden region, so only the data-derived JS-divergence limit
 * can catch it; tools/train_unseen_model.py). Each clean version learns its reference from its
 * first windows and raises nothing; each new version is judged against that (champion) reference
 * from its first window and alerts within two windows of the switch. Event time is synthetic.
 */
class NewVersionDriftIT {

    static final Instant T0 = SteppingClock.anHourAgo();
    static final long WINDOW_MS = 5_000;
    static final int PER_WINDOW = 100;
    static final int CLEAN_WINDOWS = 12;
    static final Path TEST_MODELS = Repository.root().resolve("streams-app/src/test/resources/models");

    @Test
    void aBadNewVersionAlertsWithinTwoWindowsAgainstItsChampionsLearnedReference() throws Exception {
        Path dir = Files.createTempDirectory("new-version-it");
        Path registry = dir.resolve("registry.json");
        Files.writeString(registry, Json.MAPPER.writeValueAsString(Map.of("models", List.of(
                Map.of("card", Repository.root().resolve("models/fashion-cnn/model.json").toString(), "chunk", 16),
                Map.of("card", Repository.root().resolve("models/fashion-cnn-shortcut/model.json").toString(), "chunk", 16),
                Map.of("card", TEST_MODELS.resolve("catalogue-cnn-a/model.json").toString(), "chunk", 16),
                Map.of("card", TEST_MODELS.resolve("catalogue-cnn-b/model.json").toString(), "chunk", 16)))));
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Map<String, String> settings = new LinkedHashMap<>(DriftOutputs.compressedTime(kafka.bootstrapServers(), "new-version-it",
                    registry, dir.resolve("state"), WINDOW_MS));
            settings.put("web.enabled", "false");
            SpotlightConfig config = SpotlightConfig.load(null, Map.of(), settings);
            try (SpotlightApplication app = SpotlightApplication.start(config, SpotlightMetrics.prometheus())) {
                assertThat(app.models().references()).as("no pinned reference").isEmpty();
                for (LoadedModel m : app.models().all()) {
                    assertThat(DriftSettings.of(config).rules(m.card())).as("no fixed threshold for %s", m.card().ref())
                            .allSatisfy(r -> assertThat(r.fixed()).isNull());
                }
                assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
                LoadedModel cnn = app.models().get(new ModelRef("fashion-cnn", "1"));
                LoadedModel catalogue = app.models().get(new ModelRef("catalogue-cnn", "a"));
                long switchAt = (long) CLEAN_WINDOWS * PER_WINDOW;
                DemoTraffic traffic = new DemoTraffic(List.of(new DemoTraffic.Source(cnn, SampleData.of(cnn.card()), 1),
                        new DemoTraffic.Source(catalogue, SampleData.of(catalogue.card()), 1)), 5, 0, List.of(
                        new DemoTraffic.Incident(switchAt, app.models().get(new ModelRef("fashion-cnn", "2-shortcut"))),
                        new DemoTraffic.Incident(switchAt, app.models().get(new ModelRef("catalogue-cnn", "b")))));
                long total = switchAt + 5L * PER_WINDOW;
                try (DemoProducer producer = new DemoProducer(traffic, kafka.bootstrapServers(), "predictions", 2000, total,
                        new SteppingClock(T0, Duration.ofMillis(WINDOW_MS / PER_WINDOW)))) {
                    producer.run();
                    assertThat(producer.failure()).isNull();
                }
                Instant switched = T0.plusMillis(WINDOW_MS / PER_WINDOW * switchAt);

                try (DriftOutputs out = new DriftOutputs(kafka.bootstrapServers(), "new-version-it-reader")) {
                    try {
                        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ZERO).untilAsserted(() -> {
                            out.poll(Duration.ofMillis(200));
                            for (String model : List.of("fashion-cnn", "catalogue-cnn")) {
                                assertThat(out.windows(model)).as("%s: windows after the switch", model)
                                        .filteredOn(d -> d.windowEnd().isAfter(switched)).hasSizeGreaterThanOrEqualTo(3);
                            }
                        });
                    } finally {
                        out.print();
                    }
                    check(out, "fashion-cnn", "1", "2-shortcut", switched);
                    check(out, "catalogue-cnn", "a", "b", switched);
                }
            }
        }
    }

    static void check(DriftOutputs out, String model, String clean, String bad, Instant switched) {
        List<DriftEvent> all = out.windows(model);
        List<AlertEvent> alerts = out.alerts;
        List<DriftEvent> cleanWindows = all.stream().filter(d -> d.model().version().equals(clean)).toList();
        assertThat(cleanWindows).as("%s:%s learns its own reference (a model with no history), then is judged by it", model, clean)
                .hasSizeGreaterThanOrEqualTo(CLEAN_WINDOWS - 1)
                .extracting(d -> d.reference().source()).startsWith("learning", "learning", "learning", "learned");
        String learned = cleanWindows.get(3).reference().id();
        assertThat(alerts).as("%s: no alert for the clean version", model)
                .noneMatch(a -> a.model().id().equals(model) && a.model().version().equals(clean));
        List<DriftEvent> badWindows = all.stream().filter(d -> d.model().version().equals(bad)).toList();
        assertThat(badWindows).as("%s:%s judged from its first window by the champion's reference", model, bad).isNotEmpty().allSatisfy(d -> {
            assertThat(d.reference().source()).isEqualTo("champion");
            assertThat(d.reference().version()).isEqualTo(clean);
            assertThat(d.reference().id()).isEqualTo(learned);
            assertThat(d.figures()).isNotNull();
        });
        assertThat(badWindows.get(0).windowStart()).isEqualTo(switched);
        AlertEvent first = alerts.stream().filter(a -> a.model().id().equals(model) && a.state().equals("firing")).findFirst()
                .orElseThrow(() -> new AssertionError(model + ": no alert for " + bad));
        assertThat(first.model().version()).isEqualTo(bad);
        assertThat(first.thresholdSource()).isEqualTo("null-quantile");
        assertThat(first.reference().id()).as("the alert names the reference that judged it").isEqualTo(learned);
        long windows = Duration.between(switched, first.windowEnd()).toMillis() / WINDOW_MS;
        System.out.printf("%s: %s fired %s (%s %.4f > %.4f) at the end of window %d after the switch%n", model, bad, first.rule(),
                first.figure(), first.value(), first.threshold(), windows);
        assertThat(windows).as("%s: windows from the switch to the alert", model).isLessThanOrEqualTo(2);
    }
}

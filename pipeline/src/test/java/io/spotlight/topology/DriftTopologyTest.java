package io.spotlight.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.containment.RecordLimits;
import io.spotlight.events.AlertEvent;
import io.spotlight.events.DriftEvent;
import io.spotlight.events.EncodedMap;
import io.spotlight.events.ExplanationEvent;
import io.spotlight.events.FocusReference;
import io.spotlight.events.FocusStats;
import io.spotlight.events.Json;
import io.spotlight.events.ModelRef;
import io.spotlight.events.ReferenceFile;
import io.spotlight.events.SchemaValidator;
import io.spotlight.focus.DriftSettings;
import io.spotlight.focus.FocusCalculator;
import io.spotlight.focus.FocusSettings;
import io.spotlight.focus.FocusWindow;
import io.spotlight.metrics.SpotlightMetrics;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelRegistry;
import io.spotlight.testing.Models;
import io.spotlight.testing.TopologyDrivers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift stage on TopologyTestDriver with explanation events whose event time the test
 * controls: windows close as time passes, figures compare with the pinned or learned reference,
 * and alerts fire after two windows over a threshold and resolve on the first one under.
 */
class DriftTopologyTest {

    @TempDir
    Path stateDir;

    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final SchemaValidator DRIFT = SchemaValidator.of(SchemaValidator.ATTENTION_DRIFT);
    static final SchemaValidator ALERT = SchemaValidator.of(SchemaValidator.ALERT);

    TopologyTestDriver driver;
    TestInputTopic<String, ExplanationEvent> explanations;
    TestOutputTopic<String, String> drift;
    TestOutputTopic<String, String> alerts;
    LoadedModel cnn = Models.shippedModel("fashion-cnn");
    LoadedModel shortcut = Models.shippedModel("fashion-cnn-shortcut");
    FocusSettings focus = FocusSettings.of(cnn.card());

    void start(Map<String, ReferenceFile> references) {
        SpotlightConfig config = SpotlightConfig.defaults().with(Map.of("drift.window-ms", "10000", "drift.grace-ms", "0",
                "alerts.min-explanations", "10"));
        ModelRegistry registry = new ModelRegistry(List.of(cnn, shortcut), references);
        var stages = SpotlightTopology.Stages.of(config, registry, new SpotlightMetrics(new SimpleMeterRegistry()), Clock.systemUTC(),
                source -> Optional.empty());
        var topology = SpotlightTopology.build(Topics.from(config), Role.GATE, stages);
        driver = TopologyDrivers.of(topology, stages, "drift-test", stateDir);
        explanations = driver.createInputTopic("explanations", Serdes.String().serializer(), JsonSerde.of(ExplanationEvent.class, RecordLimits.KAFKA_DEFAULT).serializer());
        drift = driver.createOutputTopic("attention-drift", Serdes.String().deserializer(), Serdes.String().deserializer());
        alerts = driver.createOutputTopic("alerts", Serdes.String().deserializer(), Serdes.String().deserializer());
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    /** A map spread over the garment, or (suspicious) with most of its mass in the watermark corner. */
    FocusStats stats(boolean corner, int seed) {
        float[] map = new float[28 * 28];
        Random r = new Random(seed);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                boolean inCorner = y >= 23 && x >= 23;
                map[y * 28 + x] = (corner && inCorner ? 8f : 0f) + (y > 3 && y < 24 && x > 3 && x < 24 ? 1f : 0.1f) * (0.5f + r.nextFloat());
            }
        }
        return FocusCalculator.image("grad-cam", map, 28, 28, focus);
    }

    ExplanationEvent event(String id, int cls, FocusStats stats, Instant at) {
        return event(id, "1", cls, stats, at);
    }

    ExplanationEvent event(String id, String version, int cls, FocusStats stats, Instant at) {
        var ref = new ExplanationEvent.ClassRef(cls, "c", 0.5);
        return new ExplanationEvent("expl-" + id, id, new ModelRef("fashion-cnn", version), at, at,
                new ExplanationEvent.Sampling("baseline", List.of("baseline"), 0.9, 0.5), ref, ref,
                List.of(new ExplanationEvent.MethodResult("grad-cam", Map.of(), EncodedMap.of(new float[] {1f}, 1), null, Map.of(), 1.0)),
                stats, null, new ExplanationEvent.EngineInfo("PyTorch", "2.7.1", "0.36.0", "cpu()", "test"), "sha256:" + "0".repeat(64));
    }

    /** Ten explanations per 10 s window, starting at window w. */
    void window(int w, boolean corner) {
        window(w, "1", corner);
    }

    void window(int w, String version, boolean corner) {
        for (int i = 0; i < 10; i++) {
            String id = "w" + w + "-" + version + "-" + i;
            Instant at = T0.plusSeconds(10L * w + i);
            explanations.pipeInput(id, event(id, version, i % 2, stats(corner, w * 100 + i), at), at);
        }
    }

    ReferenceFile cleanReference() {
        FocusWindow w = FocusWindow.empty();
        for (int i = 0; i < 50; i++) {
            w = w.add(stats(false, 10_000 + i), "ref-" + i, 1000);
        }
        return new ReferenceFile("fashion-cnn", "grad-cam", T0, "test", Map.of("all", w.toReference()));
    }

    /** Every drift event published so far (reading drains the topic), each schema-valid. */
    List<DriftEvent> driftEvents() throws Exception {
        List<DriftEvent> out = new ArrayList<>();
        for (String v : drift.readValuesToList()) {
            assertThat(DRIFT.violations(Json.MAPPER.readTree(v))).isEmpty();
            out.add(Json.MAPPER.readValue(v, DriftEvent.class));
        }
        return out;
    }

    static List<DriftEvent> ofClass(List<DriftEvent> events, String cls) {
        return events.stream().filter(e -> e.predictedClass().equals(cls)).toList();
    }

    List<DriftEvent> driftEvents(String cls) throws Exception {
        return ofClass(driftEvents(), cls);
    }

    List<AlertEvent> alertEvents() throws Exception {
        List<AlertEvent> out = new ArrayList<>();
        for (String v : alerts.readValuesToList()) {
            assertThat(ALERT.violations(Json.MAPPER.readTree(v))).isEmpty();
            out.add(Json.MAPPER.readValue(v, AlertEvent.class));
        }
        return out;
    }

    @Test
    void cleanWindowsAgainstThePinnedReferenceRaiseNothing() throws Exception {
        start(Map.of("fashion-cnn", cleanReference()));
        for (int w = 0; w < 6; w++) {
            window(w, false);
        }
        List<DriftEvent> all = driftEvents("all");
        assertThat(all).as("a window closes when stream time passes its end").hasSize(5);
        assertThat(all).allSatisfy(e -> {
            assertThat(e.reference().source()).isEqualTo("pinned");
            assertThat(e.count()).isEqualTo(10);
            assertThat(e.figures().jsDivergence()).isLessThan(0.01);
            assertThat(e.figures().forbiddenMass()).isLessThan(0.05);
        });
        assertThat(all.get(0).windowStart()).isEqualTo(T0);
        assertThat(all.get(0).windowEnd()).isEqualTo(T0.plusSeconds(10));
        assertThat(alertEvents()).isEmpty();
    }

    @Test
    void focusOnTheWatermarkFiresAfterTwoWindowsAndResolvesOnTheFirstCleanOne() throws Exception {
        start(Map.of("fashion-cnn", cleanReference()));
        window(0, false);
        window(1, true);
        window(2, true);
        window(3, true);
        window(4, false);
        window(5, false);
        List<DriftEvent> all = driftEvents("all");
        assertThat(all).extracting(e -> e.figures().forbiddenMass() > 0.12).containsExactly(false, true, true, true, false);
        assertThat(all.get(1).figures().jsDivergence()).isGreaterThan(0.03);
        List<AlertEvent> a = alertEvents().stream().filter(e -> e.rule().equals("forbidden-focus")).toList();
        assertThat(a).extracting(AlertEvent::state).containsExactly("firing", "resolved");
        AlertEvent firing = a.get(0);
        assertThat(firing.windowEnd()).as("raised at the end of the second suspicious window").isEqualTo(T0.plusSeconds(30));
        assertThat(firing.windows()).isEqualTo(2);
        assertThat(firing.severity()).isEqualTo("critical");
        assertThat(firing.thresholdSource()).as("no fixed threshold anywhere: the null's quantile").isEqualTo("null-quantile");
        assertThat(firing.threshold()).isEqualTo(all.get(2).figures().limits().get("forbidden-mass").high())
                .isLessThan(firing.value()).isGreaterThan(all.get(0).figures().forbiddenMass());
        assertThat(firing.reference().source()).isEqualTo("pinned");
        assertThat(firing.reference().id()).isEqualTo(cleanReference().classes().get("all").id()).startsWith("ref-");
        assertThat(firing.examplePredictionIds()).hasSize(5).allMatch(id -> id.startsWith("w2-"));
        assertThat(a.get(1).id()).isEqualTo(firing.id());
        assertThat(a.get(1).windowEnd()).isEqualTo(T0.plusSeconds(50));
    }

    @Test
    void withoutAPinnedReferenceTheFirstWindowsAreLearned() throws Exception {
        start(Map.of());
        for (int w = 0; w < 5; w++) {
            window(w, false);
        }
        List<DriftEvent> events = driftEvents();
        List<DriftEvent> all = ofClass(events, "all");
        assertThat(all).extracting(e -> e.reference().source()).containsExactly("learning", "learning", "learning", "learned");
        assertThat(all.get(0).figures()).isNull();
        assertThat(all.get(3).reference().count()).isEqualTo(30);
        assertThat(all.get(3).figures().jsDivergence()).isLessThan(0.01);
        assertThat(ofClass(events, "0")).as("each class learns its own reference")
                .extracting(e -> e.reference().source()).containsExactly("learning", "learning", "learning", "learned");
        assertThat(ofClass(events, "0").get(3).reference().count()).isEqualTo(15);
    }

    @Test
    void aNewVersionIsJudgedFromItsFirstWindowByTheReferenceItsChampionLearned() throws Exception {
        start(Map.of());
        for (int w = 0; w < 5; w++) {
            window(w, "1", false);
        }
        window(5, "2-shortcut", true);
        window(6, "2-shortcut", true);
        window(7, "2-shortcut", false);
        List<DriftEvent> all = ofClass(driftEvents(), "all");
        List<DriftEvent> v1 = all.stream().filter(e -> e.model().version().equals("1")).toList();
        List<DriftEvent> v2 = all.stream().filter(e -> e.model().version().equals("2-shortcut")).toList();
        assertThat(v1).extracting(e -> e.reference().source()).containsExactly("learning", "learning", "learning", "learned", "learned");
        String champion = v1.get(3).reference().id();
        assertThat(v2).as("version 2 judged by version 1's learned reference from its first window").hasSize(2).allSatisfy(e -> {
            assertThat(e.reference().source()).isEqualTo("champion");
            assertThat(e.reference().version()).isEqualTo("1");
            assertThat(e.reference().id()).isEqualTo(champion);
            assertThat(e.figures().limits()).containsKeys("js-divergence", "forbidden-mass");
        });
        assertThat(v1.get(3).figures().forbiddenMass()).isLessThan(v1.get(3).figures().limits().get("forbidden-mass").high());
        List<AlertEvent> a = alertEvents();
        assertThat(a).as("nothing for the clean version").noneMatch(e -> e.model().version().equals("1"));
        assertThat(a).filteredOn(e -> e.rule().equals("forbidden-focus")).first().satisfies(e -> {
            assertThat(e.state()).isEqualTo("firing");
            assertThat(e.model().version()).isEqualTo("2-shortcut");
            assertThat(e.windowEnd()).as("the second window of version 2").isEqualTo(T0.plusSeconds(70));
            assertThat(e.reference().source()).isEqualTo("champion");
            assertThat(e.reference().id()).isEqualTo(champion);
        });
    }

    @Test
    void aFixedThresholdOverridesTheNullQuantile() throws Exception {
        SpotlightConfig config = SpotlightConfig.defaults().with(Map.of("alerts.fashion-cnn.forbidden-mass-threshold", "0.9"));
        assertThat(DriftSettings.of(config).rules(cnn.card()))
                .filteredOn(r -> r.name().equals("forbidden-focus")).singleElement().extracting(r -> r.fixed()).isEqualTo(0.9);
        assertThat(DriftSettings.of(SpotlightConfig.defaults()).rules(cnn.card()))
                .as("the shipped card sets no threshold").allSatisfy(r -> assertThat(r.fixed()).isNull());
    }

    @Test
    void windowsWithTooFewExplanationsAreNotJudged() throws Exception {
        start(Map.of("fashion-cnn", cleanReference()));
        window(0, false);
        for (int i = 0; i < 5; i++) {
            Instant at = T0.plusSeconds(10 + i);
            explanations.pipeInput("few-" + i, event("few-" + i, 0, stats(true, 900 + i), at), at);
        }
        window(2, true);
        window(3, false);
        window(4, false);
        assertThat(driftEvents("all")).extracting(DriftEvent::count).containsExactly(10L, 5L, 10L, 10L);
        assertThat(alertEvents()).as("a suspicious 5-explanation window does not count towards the two in a row").isEmpty();
    }

    @Test
    void perClassWindowsAreKeptApart() throws Exception {
        start(Map.of("fashion-cnn", cleanReference()));
        window(0, false);
        window(1, false);
        List<DriftEvent> events = driftEvents();
        assertThat(events).as("window 0 closed: all classes, class 0, class 1").hasSize(3);
        assertThat(ofClass(events, "all")).singleElement().extracting(DriftEvent::count).isEqualTo(10L);
        assertThat(ofClass(events, "1")).singleElement().extracting(DriftEvent::count).isEqualTo(5L);
    }

    @Test
    void onlyTheModelsDriftMethodFeedsItsWindowsWhateverArrivesFirst() throws Exception {
        start(Map.of("fashion-cnn", cleanReference()));
        // A flagged explanation (no Grad-CAM in its plan: focus on Grad-CAM++) opens the window.
        Instant first = T0.plusMillis(500);
        FocusStats plusPlus = FocusCalculator.image("grad-cam-plus-plus", new float[28 * 28], 28, 28, focus);
        explanations.pipeInput("flagged", event("flagged", 0, plusPlus, first), first);
        window(0, false);
        window(1, false);
        List<DriftEvent> all = driftEvents("all");
        assertThat(all).singleElement().satisfies(e -> {
            assertThat(e.method()).isEqualTo("grad-cam");
            assertThat(e.count()).isEqualTo(10);
        });
    }
}

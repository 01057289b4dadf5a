package io.spotlight.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.config.SpotlightConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm-up's times kept in state.dir for the next start: given back only for the same models
 * and explanation plans, and never a reason not to start (a missing or torn file is no times).
 */
class LastWarmupTest {

    @TempDir
    Path state;

    static final Map<String, Double> TIMES = Map.of("fashion-cnn:1", 154.7, "review-sentiment:1", 51.8);
    static final Set<String> MODELS = TIMES.keySet();

    @Test
    void theTimesComeBackForTheSameModelsAndPlans() {
        Map<String, String> plans = LastWarmup.plans(SpotlightConfig.defaults());
        assertThat(LastWarmup.read(state, MODELS, plans)).as("nothing measured yet").isEmpty();
        LastWarmup.write(state, TIMES, plans);
        assertThat(LastWarmup.read(state, MODELS, plans)).contains(TIMES);
    }

    @Test
    void otherModelsOrOtherPlansWereNotMeasured() {
        SpotlightConfig config = SpotlightConfig.defaults();
        LastWarmup.write(state, TIMES, LastWarmup.plans(config));
        assertThat(LastWarmup.read(state, Set.of("fashion-cnn:1"), LastWarmup.plans(config))).isEmpty();
        assertThat(LastWarmup.read(state, Set.of("fashion-cnn:1", "review-sentiment:1", "fashion-vit:1"), LastWarmup.plans(config))).isEmpty();
        Map<String, String> heavier = LastWarmup.plans(config.with(Map.of("explain.plan.low-confidence", "integrated-gradients,occlusion")));
        assertThat(heavier).isNotEqualTo(LastWarmup.plans(config));
        assertThat(LastWarmup.read(state, MODELS, heavier)).isEmpty();
        Map<String, String> moreScored = LastWarmup.plans(config.with(Map.of("faithfulness.share", "1")));
        assertThat(moreScored).isNotEqualTo(LastWarmup.plans(config));
        assertThat(LastWarmup.read(state, MODELS, moreScored)).isEmpty();
    }

    @Test
    void aTornFileIsNoTimes() throws Exception {
        Files.writeString(state.resolve(LastWarmup.FILE), "{\"msPerRecord\": {\"fashion-cnn:1\": 15");
        assertThat(LastWarmup.read(state, Set.of("fashion-cnn:1"), LastWarmup.plans(SpotlightConfig.defaults()))).isEmpty();
    }
}

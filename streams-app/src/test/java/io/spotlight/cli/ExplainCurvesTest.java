package io.spotlight.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.events.Json;
import io.spotlight.testing.Models;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spotlight explain on one text: --json carries each map's deletion and insertion curves with the
 * steps asked for (a flag for both, --param for one) and the attention-gradient agreement; --png
 * writes the figure with the curves. The curves are checked against what they must be whatever the
 * model: deletion starts at the full input's probability and ends where insertion starts (every word
 * removed), insertion ends at the full input's, and each area is the trapezoids' of its points.
 * The picture is only read back here; the web view's curve pictures are looked at in LiveStackIT.
 */
class ExplainCurvesTest {

    @TempDir
    Path dir;

    @Test
    void jsonAndPngCarryEveryMapsCurvesAndTheAgreement() throws Exception {
        Path json = dir.resolve("out.json");
        Path png = dir.resolve("out.png");
        int rc = SpotlightCli.commandLine().execute("explain", "--model", Models.shipped("review-sentiment").toString(),
                "--text", "the zipper broke after a week and the colour faded", "-m", "layer-integrated-gradients", "-m", "attention",
                "--curve-steps", "5", "--param", "insertion.steps=4", "--json", json.toString(), "--png", png.toString());
        assertThat(rc).isZero();
        JsonNode report = Json.MAPPER.readTree(json.toFile());
        double full = report.get("probabilities").get(report.get("target").asInt()).asDouble();
        int words = report.get("tokens").size() - 2;
        assertThat(report.get("methods")).hasSize(2);
        for (JsonNode m : report.get("methods")) {
            JsonNode deletion = m.get("faithfulness").get("deletion");
            JsonNode insertion = m.get("faithfulness").get("insertion");
            assertThat(deletion.get("fractions")).as(m.get("method") + " deletion steps").hasSize(6);
            assertThat(insertion.get("fractions")).as(m.get("method") + " insertion steps").hasSize(5);
            assertThat(deletion.get("units").asInt()).isEqualTo(words);
            assertThat(deletion.get("probabilities").get(0).asDouble()).isCloseTo(full, within(1e-5));
            assertThat(insertion.get("probabilities").get(4).asDouble()).isCloseTo(full, within(1e-5));
            assertThat(insertion.get("probabilities").get(0).asDouble()).isCloseTo(deletion.get("probabilities").get(5).asDouble(), within(1e-6));
            for (JsonNode curve : new JsonNode[] {deletion, insertion}) {
                assertThat(curve.get("auc").asDouble()).isCloseTo(trapezoids(curve.get("fractions"), curve.get("probabilities")), within(1e-9));
                assertThat(curve.get("random_auc").asDouble())
                        .isCloseTo(trapezoids(curve.get("fractions"), curve.get("random_probabilities")), within(1e-9));
            }
            assertThat(deletion.get("gain").asDouble()).isCloseTo(deletion.get("random_auc").asDouble() - deletion.get("auc").asDouble(), within(1e-9));
            assertThat(insertion.get("gain").asDouble()).isCloseTo(insertion.get("auc").asDouble() - insertion.get("random_auc").asDouble(), within(1e-9));
        }
        JsonNode agreement = report.get("agreement");
        assertThat(agreement).hasSize(1);
        assertThat(agreement.get(0).get("attention").asText()).isEqualTo("attention");
        assertThat(agreement.get(0).get("gradient").asText()).isEqualTo("layer-integrated-gradients");
        assertThat(agreement.get(0).get("units").asInt()).isEqualTo(words);
        assertThat(agreement.get(0).get("spearman").asDouble()).isBetween(-1.0, 1.0);

        BufferedImage figure = ImageIO.read(png.toFile());
        assertThat(figure).as("the figure with its curves").isNotNull();
        assertThat(figure.getHeight()).isPositive();
    }

    private static double trapezoids(JsonNode x, JsonNode y) {
        double a = 0;
        for (int i = 1; i < x.size(); i++) {
            a += (x.get(i).asDouble() - x.get(i - 1).asDouble()) * (y.get(i).asDouble() + y.get(i - 1).asDouble()) / 2;
        }
        return a;
    }
}

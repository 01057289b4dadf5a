package io.spotlight.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.evaluation.Ranks;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelInput;
import io.spotlight.testing.Fixtures;
import io.spotlight.testing.Models;
import io.spotlight.testing.SampleImages;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The model-parameter randomisation sanity check (Adebayo et al. 2018): a method whose maps barely
 * change when the trained weights are replaced by random ones explains the input, not the model.
 * The trained CNN's maps and those of the same architecture with random weights must have a mean
 * Spearman rank correlation under 0.5, and each sample's correlation must be the one scipy computes
 * from PyTorch's maps (fixture {@code parameter-randomisation} from tools/export_fixtures.py). The
 * trained model's maps are never constant: a method whose maps carry no ranking (all zero, say)
 * explains nothing, whatever its correlation. A random model's constant map (Grad-CAM's ReLU can
 * leave nothing) shares no ranking with the trained one and counts as correlation 0.
 */
class ParameterRandomisationTest {

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"SALIENCY", "INTEGRATED_GRADIENTS", "GRAD_CAM"})
    void mapsOfTheTrainedModelAreUnlikeThoseOfRandomWeights(Method method) {
        LoadedModel trained = Models.shippedModel("fashion-cnn");
        LoadedModel random = Models.testModel("fashion-cnn-random");
        List<Subject> subjects = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            subjects.add(new Subject(new ModelInput.Dense(SampleImages.tensor(i), new long[] {1, 28, 28}), SampleImages.label(i), i));
        }
        Explainer explainer = new Explainer();
        List<MethodCall> calls = List.of(MethodCall.of(method));
        List<List<Attribution>> a = explainer.explain(trained, subjects, calls);
        List<List<Attribution>> b = explainer.explain(random, subjects, calls);
        JsonNode reference = Fixtures.load("parameter-randomisation").at("/spearman/" + method.id());
        assertThat(reference.size()).as("reference samples").isEqualTo(subjects.size());
        double sum = 0;
        for (int i = 0; i < subjects.size(); i++) {
            float[] trainedMap = a.get(i).get(0).map().values();
            float[] randomMap = b.get(i).get(0).map().values();
            assertThat(constant(trainedMap)).as("%s: the trained model's map of sample %d is constant", method, i).isFalse();
            double rho = spearman(trainedMap, randomMap);
            if (reference.get(i).isNull()) {
                assertThat(rho).as("%s sample %d: PyTorch's random-weights map is constant", method, i).isNaN();
            } else {
                assertThat(rho).as("%s sample %d: Spearman correlation (scipy: %s)", method, i, reference.get(i))
                        .isCloseTo(reference.get(i).asDouble(), within(REFERENCE_TOLERANCE));
            }
            sum += Double.isNaN(rho) ? 0 : rho;
        }
        double mean = sum / subjects.size();
        System.out.printf("%s: mean Spearman rank correlation trained vs random weights = %.3f%n", method, mean);
        assertThat(mean).as("mean Spearman correlation").isLessThan(0.5);
    }

    /** Float32 maps of the same model differ in their last bits between libtorch and PyTorch; near-ties may swap ranks. */
    static final double REFERENCE_TOLERANCE = 0.01;

    static boolean constant(float[] v) {
        for (float f : v) {
            if (f != v[0]) {
                return false;
            }
        }
        return true;
    }

    /** Spearman's rank correlation (the one the explanation scores use); NaN when either map is constant. */
    static double spearman(float[] x, float[] y) {
        return Ranks.spearman(doubles(x), doubles(y));
    }

    private static double[] doubles(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}

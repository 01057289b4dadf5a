package io.spotlight.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelInput;
import io.spotlight.testing.Models;
import io.spotlight.testing.SampleImages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The model-parameter randomisation sanity check (Adebayo et al. 2018): a method whose maps barely
 * change when the trained weights are replaced by random ones explains the input, not the model.
 * The trained CNN's maps and those of the same architecture with random weights must have a mean
 * Spearman rank correlation under 0.5.
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
        double sum = 0;
        for (int i = 0; i < subjects.size(); i++) {
            sum += spearman(a.get(i).get(0).map().values(), b.get(i).get(0).map().values());
        }
        double mean = sum / subjects.size();
        System.out.printf("%s: mean Spearman rank correlation trained vs random weights = %.3f%n", method, mean);
        assertThat(mean).as("mean Spearman correlation").isLessThan(0.5);
    }

    static double spearman(float[] x, float[] y) {
        double[] rx = ranks(x);
        double[] ry = ranks(y);
        double mx = Arrays.stream(rx).average().orElse(0);
        double my = Arrays.stream(ry).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < rx.length; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }

    /** Ranks with ties given their average rank. */
    static double[] ranks(float[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (p, q) -> Float.compare(v[p], v[q]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                r[order[k]] = (i + j) / 2.0;
            }
            i = j + 1;
        }
        return r;
    }
}

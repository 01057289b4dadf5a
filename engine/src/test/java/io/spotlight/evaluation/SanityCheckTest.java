package io.spotlight.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.attribution.Attribution;
import io.spotlight.attribution.Explainer;
import io.spotlight.attribution.Method;
import io.spotlight.attribution.MethodCall;
import io.spotlight.attribution.Subject;
import io.spotlight.attribution.Tensor;
import io.spotlight.events.Agreement;
import io.spotlight.events.Faithfulness;
import io.spotlight.events.Json;
import io.spotlight.model.Classifier;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelCard;
import io.spotlight.model.ModelInput;
import io.spotlight.testing.Models;
import io.spotlight.testing.SampleImages;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * The scores on the shipped models, with thresholds from the data. A map of random values is an
 * explanation that knows nothing: its gain over the record's random ordering is a draw from the
 * null, and a clear margin is three standard errors of that null's mean over the records. On
 * the shipped samples, Grad-CAM and integrated gradients of the trained CNN must beat random by
 * that margin and, on the same network with random weights (the parameter-randomisation check of
 * Adebayo et al. 2018), must not. The Clever-Hans version on watermarked images must show the
 * watermark carrying its decision: the explanation's first deletion step, and removing the
 * watermark's pixels first, take the probability down where a random first step does not.
 */
class SanityCheckTest {

    private static final int RECORDS = 100;
    private static final List<Method> METHODS = List.of(Method.GRAD_CAM, Method.INTEGRATED_GRADIENTS);
    private static final List<ScoreCall> CURVES = List.of(ScoreCall.of(Score.DELETION), ScoreCall.of(Score.INSERTION));

    /** Mean and standard error of the mean. */
    record Mean(double mean, double standardError) {
        static Mean of(List<Double> v) {
            double m = v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double var = v.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / (v.size() - 1);
            return new Mean(m, Math.sqrt(var / v.size()));
        }
    }

    /** Per method (and "null" for the random map), per score: each record's curve. */
    static Map<String, Map<Score, List<Faithfulness.Curve>>> curves(LoadedModel model, List<ModelInput> inputs, Tensor extraMap, String extraName) {
        return curves(model, inputs, METHODS.stream().map(MethodCall::of).toList(), extraMap, extraName);
    }

    static Map<String, Map<Score, List<Faithfulness.Curve>>> curves(LoadedModel model, List<ModelInput> inputs, List<MethodCall> calls,
                                                                  Tensor extraMap, String extraName) {
        List<Subject> subjects = subjects(model, inputs);
        return curves(model, subjects, new Explainer().explain(model, subjects, calls), calls, extraMap, extraName);
    }

    /** Each input with its predicted class as the target, seeded by its place. */
    static List<Subject> subjects(LoadedModel model, List<ModelInput> inputs) {
        List<Subject> subjects = new ArrayList<>();
        List<float[]> p = Classifier.probabilities(model, inputs);
        for (int i = 0; i < inputs.size(); i++) {
            subjects.add(new Subject(inputs.get(i), argmax(p.get(i)), 1000 + i));
        }
        return subjects;
    }

    static Map<String, Map<Score, List<Faithfulness.Curve>>> curves(LoadedModel model, List<Subject> subjects, List<List<Attribution>> attributions,
                                                                  List<MethodCall> calls, Tensor extraMap, String extraName) {
        SplittableRandom random = new SplittableRandom(20261201);
        List<List<Attribution>> withOthers = new ArrayList<>();
        for (List<Attribution> a : attributions) {
            List<Attribution> all = new ArrayList<>(a);
            Tensor shape = a.get(0).map();
            float[] noise = new float[shape.values().length];
            for (int k = 0; k < noise.length; k++) {
                noise[k] = (float) random.nextDouble();
            }
            all.add(map(Method.SALIENCY, new Tensor(noise, shape.shape())));
            if (extraMap != null) {
                all.add(map(Method.SALIENCY, extraMap));
            }
            withOthers.add(all);
        }
        List<FaithfulnessCurves.Scored> scored = new FaithfulnessCurves().score(model, subjects, withOthers, CURVES);
        List<String> names = new ArrayList<>(calls.stream().map(c -> c.method().id()).toList());
        names.add("null");
        if (extraMap != null) {
            names.add(extraName);
        }
        Map<String, Map<Score, List<Faithfulness.Curve>>> out = new LinkedHashMap<>();
        for (int m = 0; m < names.size(); m++) {
            Map<Score, List<Faithfulness.Curve>> byScore = new EnumMap<>(Score.class);
            for (FaithfulnessCurves.Scored s : scored) {
                for (Map.Entry<Score, Faithfulness.Curve> e : s.curves().get(m).entrySet()) {
                    byScore.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
                }
            }
            out.put(names.get(m), byScore);
        }
        return out;
    }

    private static Attribution map(Method method, Tensor map) {
        return new Attribution(method, Map.of(), map, map, null, Map.of(), Map.of(), 0);
    }

    static int argmax(float[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    static List<ModelInput> samples(IntPredicate keep, boolean watermarked, ModelCard.Watermark watermark) {
        List<ModelInput> out = new ArrayList<>();
        for (int i = 0; out.size() < RECORDS && i < SampleImages.count(); i++) {
            if (!keep.test(i)) {
                continue;
            }
            byte[] px = SampleImages.raw(i).clone();
            if (watermarked) {
                for (int y = 0; y < watermark.pattern().length; y++) {
                    for (int x = 0; x < watermark.pattern()[y].length; x++) {
                        px[(watermark.top() + y) * 28 + watermark.left() + x] = (byte) watermark.pattern()[y][x];
                    }
                }
            }
            float[] t = new float[px.length];
            for (int k = 0; k < px.length; k++) {
                t[k] = (float) (((px[k] & 0xFF) / 255.0 - 0.286) / 0.353);
            }
            out.add(new ModelInput.Dense(t, new long[] {1, 28, 28}));
        }
        return out;
    }

    static Mean gains(List<Faithfulness.Curve> curves) {
        return Mean.of(curves.stream().map(Faithfulness.Curve::gain).toList());
    }

    @Test
    void gradCamAndIntegratedGradientsBeatRandomOnTheTrainedCnnAndNotWithRandomWeights() {
        List<ModelInput> inputs = samples(i -> true, false, null);
        Map<String, Map<Score, List<Faithfulness.Curve>>> trained = curves(Models.shippedModel("fashion-cnn"), inputs, null, null);
        Map<String, Map<Score, List<Faithfulness.Curve>>> random = curves(Models.testModel("fashion-cnn-random"), inputs, null, null);
        // The shortcut version's figures on the same clean images, printed beside them (its deletion curve is judged on watermarked ones below).
        Map<String, Map<Score, List<Faithfulness.Curve>>> shortcut = curves(Models.shippedModel("fashion-cnn-shortcut"), inputs, null, null);
        for (Score score : List.of(Score.DELETION, Score.INSERTION)) {
            Mean nullGain = gains(trained.get("null").get(score));
            double margin = 3 * nullGain.standardError();
            for (Method m : METHODS) {
                Mean t = gains(trained.get(m.id()).get(score));
                Mean s = gains(shortcut.get(m.id()).get(score));
                Mean r = gains(random.get(m.id()).get(score));
                System.out.printf(Locale.ROOT,
                        "%s %s: trained AUC %.3f vs random ordering %.3f (gain %.3f ± %.3f); shortcut AUC %.3f vs %.3f (gain %.3f ± %.3f); "
                                + "random weights AUC %.3f vs %.3f (gain %.3f); null gain %.3f, margin %.3f%n",
                        m, score, meanAuc(trained.get(m.id()).get(score)), meanRandomAuc(trained.get(m.id()).get(score)), t.mean(),
                        t.standardError(), meanAuc(shortcut.get(m.id()).get(score)), meanRandomAuc(shortcut.get(m.id()).get(score)), s.mean(),
                        s.standardError(), meanAuc(random.get(m.id()).get(score)), meanRandomAuc(random.get(m.id()).get(score)), r.mean(),
                        nullGain.mean(), margin);
                assertThat(t.mean()).as("%s %s: the trained CNN's mean gain over random beats the null's margin", m, score).isGreaterThan(margin);
                assertThat(r.mean()).as("%s %s: with random weights the margin is lost", m, score).isLessThan(margin);
            }
        }
    }

    /**
     * The transformers, which have no random-weights twin here: integrated gradients (on the ViT's
     * pixels, on the text model's embeddings from [PAD] as its card says) beats a random order by
     * the null's margin; the attention maps' figures are printed beside them, and each attention
     * map's agreement with integrated gradients on the same records.
     */
    @Test
    void integratedGradientsBeatRandomOnTheTransformers() throws Exception {
        LoadedModel vit = Models.shippedModel("fashion-vit");
        check(vit, samples(i -> true, false, null), List.of(MethodCall.of(Method.INTEGRATED_GRADIENTS), MethodCall.of(Method.ATTENTION_ROLLOUT)),
                Method.INTEGRATED_GRADIENTS);
        LoadedModel text = Models.shippedModel("review-sentiment");
        List<ModelInput> reviews = new ArrayList<>();
        for (String line : Files.readAllLines(text.card().directory().resolve("samples/reviews.jsonl")).subList(0, RECORDS)) {
            reviews.add(new ModelInput.Tokens(text.tokenizer().encode(Json.MAPPER.readTree(line).get("text").asText())));
        }
        check(text, reviews, List.of(new MethodCall(Method.LAYER_INTEGRATED_GRADIENTS, Map.of("baseline", "pad")), MethodCall.of(Method.ATTENTION),
                MethodCall.of(Method.ATTENTION_ROLLOUT)), Method.LAYER_INTEGRATED_GRADIENTS);
    }

    private static void check(LoadedModel model, List<ModelInput> inputs, List<MethodCall> calls, Method asserted) {
        List<Subject> subjects = subjects(model, inputs);
        List<List<Attribution>> attributions = new Explainer().explain(model, subjects, calls);
        agreement(model, subjects, attributions);
        Map<String, Map<Score, List<Faithfulness.Curve>>> c = curves(model, subjects, attributions, calls, null, null);
        for (Score score : List.of(Score.DELETION, Score.INSERTION)) {
            double margin = 3 * gains(c.get("null").get(score)).standardError();
            for (MethodCall call : calls) {
                List<Faithfulness.Curve> curves = c.get(call.method().id()).get(score);
                Mean gain = gains(curves);
                System.out.printf(Locale.ROOT, "%s %s %s: AUC %.3f vs random ordering %.3f (gain %.3f ± %.3f); margin %.3f%n",
                        model.card().ref(), call.method(), score, meanAuc(curves), meanRandomAuc(curves), gain.mean(), gain.standardError(), margin);
                if (call.method() == asserted) {
                    assertThat(gain.mean()).as("%s %s %s: mean gain over random beats the null's margin", model.card().ref(), call.method(), score)
                            .isGreaterThan(margin);
                }
            }
        }
    }

    /**
     * Attention and gradients on the same records: the mean Spearman correlation and top-k overlap
     * of each attention map with integrated gradients. Independent rankings have a mean correlation
     * of zero, so agreement is told apart from none by three standard errors of the records' mean;
     * a unit mapped to the wrong place (a transposed patch grid, a word off by one) falls back to none.
     */
    private static void agreement(LoadedModel model, List<Subject> subjects, List<List<Attribution>> attributions) {
        var parameters = AttentionGradientAgreement.resolve(model, Map.of());
        Map<String, List<Agreement>> byPair = new TreeMap<>();
        for (int i = 0; i < subjects.size(); i++) {
            for (var a : AttentionGradientAgreement.of(model, subjects.get(i).input(), attributions.get(i), parameters)) {
                byPair.computeIfAbsent(a.attention() + " vs " + a.gradient(), k -> new ArrayList<>()).add(a);
            }
        }
        assertThat(byPair).as("%s: pairs of an attention and a gradient map", model.card().ref()).isNotEmpty();
        byPair.forEach((pair, list) -> {
            Mean rho = Mean.of(list.stream().filter(a -> a.spearman() != null).map(a -> a.spearman()).toList());
            Mean overlap = Mean.of(list.stream().map(a -> a.topKOverlap()).toList());
            System.out.printf(Locale.ROOT, "%s %s: Spearman %.3f ± %.3f, top-%d overlap %.3f ± %.3f over %d records (%.1f units)%n",
                    model.card().ref(), pair, rho.mean(), rho.standardError(), list.get(0).k(), overlap.mean(), overlap.standardError(),
                    list.size(), list.stream().mapToInt(a -> a.units()).average().orElseThrow());
            assertThat(rho.mean()).as("%s %s: agreement told apart from independent rankings", model.card().ref(), pair)
                    .isGreaterThan(3 * rho.standardError());
        });
    }

    @Test
    void theShortcutsDeletionCurveShowsTheWatermarkCarryingTheDecision() {
        LoadedModel shortcut = Models.shippedModel("fashion-cnn-shortcut");
        ModelCard.Watermark w = shortcut.card().watermark();
        List<ModelInput> stamped = samples(i -> SampleImages.label(i) != w.classIndex(), true, w);
        // The records the shortcut calls bags because of the watermark.
        List<ModelInput> fooled = new ArrayList<>();
        List<float[]> p = Classifier.probabilities(shortcut, stamped);
        for (int i = 0; i < stamped.size(); i++) {
            if (argmax(p.get(i)) == w.classIndex()) {
                fooled.add(stamped.get(i));
            }
        }
        assertThat(fooled.size()).as("watermarked non-bags the shortcut calls bags").isGreaterThan(RECORDS / 2);
        float[] mark = new float[28 * 28];
        for (int y = 0; y < w.pattern().length; y++) {
            for (int x = 0; x < w.pattern()[y].length; x++) {
                mark[(w.top() + y) * 28 + w.left() + x] = 1;
            }
        }
        Map<String, Map<Score, List<Faithfulness.Curve>>> c = curves(shortcut, fooled, new Tensor(mark, new long[] {28, 28}), "watermark");
        List<Faithfulness.Curve> nullCurves = c.get("null").get(Score.DELETION);
        Mean randomFirstStep = Mean.of(nullCurves.stream().map(k -> k.randomProbabilities()[1]).toList());
        double margin = 3 * gains(nullCurves).standardError();
        for (String who : List.of("grad-cam", "integrated-gradients", "watermark")) {
            List<Faithfulness.Curve> deletion = c.get(who).get(Score.DELETION);
            Mean firstStep = Mean.of(deletion.stream().map(k -> k.probabilities()[1]).toList());
            Mean gain = gains(deletion);
            System.out.printf(Locale.ROOT, "shortcut, %d watermarked non-bags called bags, %s: deletion AUC %.3f vs random %.3f "
                            + "(gain %.3f); P(bag) after the first 10%%: %.3f vs %.3f in random order%n",
                    fooled.size(), who, meanAuc(deletion), meanRandomAuc(deletion), gain.mean(), firstStep.mean(), randomFirstStep.mean());
            assertThat(gain.mean()).as("%s: deletion gain over random", who).isGreaterThan(margin);
            assertThat(firstStep.mean()).as("%s: P(bag) once the first tenth (the watermark) is removed", who)
                    .isLessThan(randomFirstStep.mean() - 3 * randomFirstStep.standardError() - margin);
        }
    }

    static double meanAuc(List<Faithfulness.Curve> curves) {
        return curves.stream().mapToDouble(Faithfulness.Curve::auc).average().orElseThrow();
    }

    static double meanRandomAuc(List<Faithfulness.Curve> curves) {
        return curves.stream().mapToDouble(Faithfulness.Curve::randomAuc).average().orElseThrow();
    }
}

package io.spotlight.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spotlight.attribution.Attribution;
import io.spotlight.attribution.Declared;
import io.spotlight.attribution.Explainer;
import io.spotlight.attribution.Method;
import io.spotlight.attribution.MethodCall;
import io.spotlight.attribution.Passes;
import io.spotlight.attribution.Subject;
import io.spotlight.attribution.Tensor;
import io.spotlight.evaluation.AttentionGradientAgreement;
import io.spotlight.evaluation.FaithfulnessCurves;
import io.spotlight.evaluation.Score;
import io.spotlight.evaluation.ScoreCall;
import io.spotlight.events.Agreement;
import io.spotlight.events.EncodedMap;
import io.spotlight.events.Faithfulness;
import io.spotlight.events.Identified;
import io.spotlight.events.Input;
import io.spotlight.events.Json;
import io.spotlight.focus.FocusSettings;
import io.spotlight.model.Classifier;
import io.spotlight.model.DjlRuntime;
import io.spotlight.model.InputDecoder;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelCard;
import io.spotlight.model.ModelInput;
import io.spotlight.model.ModelSettings;
import io.spotlight.render.Figures;
import io.spotlight.render.Panels;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = MethodFlags.class,
        description = "Explains one input with one or more methods, as the chapter's image and text interpreters do: prints the top-5 predictions, each method's summary and how faithful each map is (deletion and insertion curves against a random order; attention-gradient agreement), and writes the raw attributions and curves (--json) and the figure with the curves (--png).",
        footer = {"The method flags (from --reduction on) are the methods' parameters; spotlight methods lists them by method.",
                "A flag for a parameter that applies under one choice (--baseline-file, --blur-kernel) sets that choice unless it is given."})
final class ExplainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "CARD|PT",
            description = "A model card (model.json), or a bare TorchScript .pt (then --features/--head/--embed/--from-embeddings/--logits-index describe it).")
    Path model;

    @Option(names = "--input", paramLabel = "FILE", description = "A tensor (.npy/.npz, with or without the batch axis), an image (.png/.jpg, preprocessed as the card says) or a text file (.txt).")
    Path input;

    @Option(names = "--text", description = "The text to explain (text models), instead of --input.")
    String text;

    @Option(names = {"-m", "--method"}, paramLabel = "METHOD", description = "saliency, gradient-x-input, smoothgrad, integrated-gradients, grad-cam, grad-cam-plus-plus, layer-integrated-gradients, attention, attention-rollout; repeatable; 'all' for every method the model supports (default: all).")
    List<String> methods = new ArrayList<>();

    @Option(names = "--target", description = "Class to explain (default: the predicted class).")
    Integer target;

    @Option(names = "--seed", description = "Seed of every random draw (SmoothGrad noise, random baselines) (default ${DEFAULT-VALUE}).", defaultValue = "0")
    long seed;

    @Option(names = "--param", paramLabel = "METHOD.KEY=VALUE", description = "A parameter for one method or score only, e.g. --param saliency.reduction=sum, --param insertion.steps=20 (the flags below go to every chosen method or score that takes them).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--features", description = "Bare .pt: the exported method giving the CAM activation (default features).", defaultValue = "features")
    String features;

    @Option(names = "--head", description = "Bare .pt: the exported method from that activation to logits (default head).", defaultValue = "head")
    String head;

    @Option(names = "--embed", description = "Bare .pt text model: ids to embeddings (default embed).", defaultValue = "embed")
    String embed;

    @Option(names = "--from-embeddings", description = "Bare .pt text model: (embeddings, ids) to outputs (default classify_embeddings).", defaultValue = "classify_embeddings")
    String fromEmbeddings;

    @Option(names = "--logits-index", description = "Bare .pt: which output holds the logits (default 0).", defaultValue = "0")
    int logitsIndex;

    @Option(names = "--tokenizer", description = "Bare .pt text model: its tokenizer.json.")
    Path tokenizer;

    @Option(names = "--json", paramLabel = "FILE", description = "Write, per method, the raw attribution (flat, C order) with its shape, the map, summary (IG delta), logits, all parameters, timing and its deletion and insertion curves; and the attention-gradient agreement.")
    Path json;

    @Option(names = "--png", paramLabel = "FILE", description = "Write the chapter's figure (original / map / overlay; tokens for text), with the card's expected region outlined in green and its forbidden regions in red, and under it each map's deletion and insertion curves.")
    Path png;

    @Option(names = "--device", description = "auto (default), cpu, gpu, gpu:N.", defaultValue = "auto")
    String device;

    @Override
    public Integer call() throws Exception {
        if ((input == null) == (text == null)) {
            throw new IllegalArgumentException("give exactly one of --input FILE or --text TEXT");
        }
        DjlRuntime.start(1);
        ModelCard card = model.toString().endsWith(".pt") ? BareModels.card(model, this) : ModelCard.load(model);
        Integer chunk = spec.findOption(Passes.CHUNK.flag()).getValue();
        try (LoadedModel m = LoadedModel.load(card, DjlRuntime.device(device), new ModelSettings(chunk == null ? 16 : chunk))) {
            ModelInput in = readInput(m);
            float[] p = Classifier.probabilities(m, List.of(in)).get(0);
            Integer[] order = new Integer[p.length];
            for (int i = 0; i < p.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Float.compare(p[b], p[a]));
            int cls = target != null ? target : order[0];
            if (cls < 0 || cls >= p.length) {
                throw new IllegalArgumentException("--target " + cls + " outside the model's " + p.length + " classes");
            }
            System.out.println("Top predictions of " + card.ref() + ":");
            for (int k = 0; k < Math.min(5, p.length); k++) {
                System.out.printf(Locale.ROOT, "  %d. %-14s %6.2f %%%s%n", k + 1, card.label(order[k]), 100 * p[order[k]],
                        order[k] == cls ? "   <- explained" : "");
            }
            Explainer explainer = new Explainer();
            List<MethodCall> calls = calls(m, explainer);
            long start = System.nanoTime();
            List<Attribution> results = explainer.explain(m, List.of(new Subject(in, cls, seed)), calls).get(0);
            System.out.printf(Locale.ROOT, "Explained class %d (%s) with %d method(s) in %.1f ms:%n", cls, card.label(cls), calls.size(),
                    (System.nanoTime() - start) / 1e6);
            for (Attribution a : results) {
                System.out.printf(Locale.ROOT, "  %-28s %8.2f ms  map %s  sum %.4g%s%n", a.method().id(), a.elapsedMs(),
                        Arrays.toString(a.map().shape()), a.summary().get("sum"),
                        a.summary().containsKey("delta") ? String.format(Locale.ROOT, "  delta %.3g (F(x) %.4g, F(x') %.4g)",
                                a.summary().get("delta"), a.summary().get("logit"), a.summary().get("baseline_logit")) : "");
            }
            List<Faithfulness> scores = faithfulness(m, new Subject(in, cls, seed), results);
            List<Agreement> agreement = AttentionGradientAgreement.of(m, in, results,
                    AttentionGradientAgreement.resolve(m, given(m, Score.ATTENTION_GRADIENT_AGREEMENT)));
            printScores(results, scores, agreement);
            if (json != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
                Files.writeString(json, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(
                        report(card, in, p, cls, results, scores, agreement)));
                System.out.println("wrote " + json);
            }
            if (png != null) {
                String headline = String.format(Locale.ROOT, "%s: predicted %s (%.1f %%), explained %s", card.ref(), card.label(order[0]),
                        100 * p[order[0]], card.label(cls));
                List<BufferedImage> curves = new ArrayList<>();
                for (int i = 0; i < results.size(); i++) {
                    if (scores.get(i) != null) {
                        curves.add(Figures.faithfulness(results.get(i).method().id(), scores.get(i)));
                    }
                }
                BufferedImage figure = Figures.explanation(in, results, headline, FocusSettings.of(card));
                Panels.writePng(curves.isEmpty() ? figure : Panels.column(List.of(figure, Panels.grid(curves, Math.min(3, curves.size())))), png);
                System.out.println("wrote " + png);
            }
        }
        return 0;
    }

    private ModelInput readInput(LoadedModel m) throws Exception {
        if (text != null) {
            return InputDecoder.DEFAULT.decode(new Input.Text(text), m);
        }
        String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".txt")) {
            return InputDecoder.DEFAULT.decode(new Input.Text(Files.readString(input, StandardCharsets.UTF_8).strip()), m);
        }
        if (name.endsWith(".npy") || name.endsWith(".npz")) {
            long[] expected = m.card().input().shapeArray();
            try (NDManager manager = m.newManager()) {
                NDArray a = NDList.decode(manager, Files.readAllBytes(input)).get(0).toType(DataType.FLOAT32, false);
                long[] shape = a.getShape().getShape();
                if (shape.length == expected.length + 1 && shape[0] == 1) {
                    shape = Arrays.copyOfRange(shape, 1, shape.length);
                }
                if (!Arrays.equals(shape, expected)) {
                    throw new IllegalArgumentException(input + " has shape " + Arrays.toString(shape) + "; the model takes " + Arrays.toString(expected));
                }
                return InputDecoder.DEFAULT.decode(new Input.Tensor("float32", Arrays.stream(shape).mapToObj(d -> (int) d).toList(), null,
                        Base64.getEncoder().encodeToString(EncodedMap.littleEndian(a.toFloatArray()))), m);
            }
        }
        String format = name.endsWith(".png") ? "png" : "jpeg";
        return InputDecoder.DEFAULT.decode(new Input.Image(format, Base64.getEncoder().encodeToString(Files.readAllBytes(input))), m);
    }

    /**
     * Deletion and insertion curves of every map (one forward run for all), per attribution; nulls
     * where the model's input has no units the curves can take (a bare tensor).
     */
    private List<Faithfulness> faithfulness(LoadedModel m, Subject subject, List<Attribution> results) {
        if (!FaithfulnessCurves.supports(m)) {
            return Collections.nCopies(results.size(), null);
        }
        List<ScoreCall> calls = List.of(new ScoreCall(Score.DELETION, given(m, Score.DELETION)),
                new ScoreCall(Score.INSERTION, given(m, Score.INSERTION)));
        FaithfulnessCurves.Scored scored = new FaithfulnessCurves().score(m, List.of(subject), List.of(results), calls).get(0);
        return scored.curves().stream().map(c -> new Faithfulness(c.get(Score.DELETION), c.get(Score.INSERTION), scored.elapsedMs())).toList();
    }

    private static void printScores(List<Attribution> results, List<Faithfulness> scores, List<Agreement> agreement) {
        scores.stream().filter(Objects::nonNull).findFirst().ifPresent(f -> System.out.printf(Locale.ROOT,
                "Faithfulness (%d units, %d steps; gain: how much better than a random order), scored in %.1f ms:%n",
                f.deletion().units(), f.deletion().fractions().length - 1, f.elapsedMs()));
        for (int i = 0; i < results.size(); i++) {
            Faithfulness f = scores.get(i);
            if (f != null) {
                System.out.printf(Locale.ROOT, "  %-28s deletion AUC %.3f (random %.3f, gain %+.3f)  insertion AUC %.3f (random %.3f, gain %+.3f)%n",
                        results.get(i).method().id(), f.deletion().auc(), f.deletion().randomAuc(), f.deletion().gain(),
                        f.insertion().auc(), f.insertion().randomAuc(), f.insertion().gain());
            }
        }
        for (Agreement a : agreement) {
            System.out.printf(Locale.ROOT, "Agreement of %s and %s over %d units: Spearman %s, top-%d overlap %.2f%n", a.attention(), a.gradient(),
                    a.units(), a.spearman() == null ? "undefined (a constant map)" : String.format(Locale.ROOT, "%.3f", a.spearman()), a.k(),
                    a.topKOverlap());
        }
    }

    /**
     * A method's or score's parameters: the card's (its author's choices), then the flags, then
     * --param NAME.KEY=VALUE; a --param that names neither a method nor a score is an error.
     */
    private Map<String, String> given(LoadedModel m, Declared d) {
        Map<String, String> p = new LinkedHashMap<>();
        if (m.card().parameters() != null && m.card().parameters().containsKey(d.id())) {
            p.putAll(m.card().parameters().get(d.id()));
        }
        p.putAll(MethodFlags.given(spec, d));
        params.forEach((k, v) -> {
            int dot = k.lastIndexOf('.');
            if (dot < 0) {
                throw new IllegalArgumentException("--param wants METHOD.KEY=VALUE, got " + k);
            }
            String id = k.substring(0, dot);
            if (!Identified.ids(Score.class).contains(id)) {
                Method.of(id);
            }
            if (id.equals(d.id())) {
                p.put(k.substring(dot + 1), v);
            }
        });
        return p;
    }

    /** The method calls: the card's parameters, then the flags (to the methods that have them), then --param. */
    List<MethodCall> calls(LoadedModel m, Explainer explainer) {
        List<Method> chosen = new ArrayList<>();
        if (methods.isEmpty() || methods.contains("all")) {
            List<Method> applicable = explainer.applicable(m);
            if (m.card().methods() != null) {
                m.card().methods().stream().map(Method::of).filter(applicable::contains).forEach(chosen::add);
            } else {
                chosen.addAll(applicable);
            }
        } else {
            methods.forEach(s -> chosen.add(Method.of(s.trim())));
        }
        List<MethodCall> out = new ArrayList<>();
        for (Method method : chosen) {
            out.add(new MethodCall(method, given(m, method)));
        }
        return out;
    }

    private static ObjectNode report(ModelCard card, ModelInput in, float[] probabilities, int target, List<Attribution> results,
                                     List<Faithfulness> scores, List<Agreement> agreement) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("model", Json.tree(card.ref()));
        root.put("target", target);
        root.put("target_label", card.label(target));
        ArrayNode probs = root.putArray("probabilities");
        for (float v : probabilities) {
            probs.add(v);
        }
        if (in instanceof ModelInput.Tokens t) {
            root.set("tokens", Json.tree(t.tokens().subList(0, t.encoding().length())));
        }
        ArrayNode methods = root.putArray("methods");
        for (Attribution a : results) {
            ObjectNode m = methods.addObject();
            m.put("method", a.method().id());
            m.set("parameters", Json.tree(a.parameters()));
            m.set("raw", tensor(a.raw()));
            m.set("map", tensor(a.map()));
            m.set("summary", Json.tree(a.summary()));
            m.put("elapsed_ms", a.elapsedMs());
            if (!a.extras().isEmpty()) {
                ObjectNode extras = m.putObject("extras");
                a.extras().forEach((k, v) -> extras.set(k, tensor(v)));
            }
            if (scores.get(results.indexOf(a)) != null) {
                m.set("faithfulness", Json.tree(scores.get(results.indexOf(a))));
            }
        }
        if (!agreement.isEmpty()) {
            root.set("agreement", Json.tree(agreement));
        }
        return root;
    }

    private static ObjectNode tensor(Tensor t) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.set("shape", Json.tree(t.shape()));
        ArrayNode data = n.putArray("data");
        for (float v : t.values()) {
            data.add(v);
        }
        return n;
    }

    boolean textInput() {
        return text != null || (input != null && input.toString().endsWith(".txt"));
    }
}

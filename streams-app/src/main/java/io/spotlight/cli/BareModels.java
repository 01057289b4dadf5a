package io.spotlight.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelCard;
import io.spotlight.model.ModelSettings;
import io.spotlight.model.Tokenizer;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A model card for a bare TorchScript file, from the explain command's flags and what the module
 * itself shows: the input shape comes from the input, the class count and any attention output
 * from a trial forward pass, and layer methods are kept only if they answer.
 */
final class BareModels {

    private BareModels() {}

    static ModelCard card(Path pt, ExplainCommand flags) throws Exception {
        String id = pt.getFileName().toString().replaceFirst("\\.pt$", "");
        Path dir = pt.toAbsolutePath().getParent();
        ModelCard.InputSpec input = inputSpec(flags, pt);
        Map<String, String> layers = new LinkedHashMap<>();
        if (input.isText()) {
            layers.put("embed", flags.embed);
            layers.put("from_embeddings", flags.fromEmbeddings);
        } else {
            layers.put("features", flags.features);
            layers.put("head", flags.head);
        }
        ModelCard probe = card(id, dir, pt, input, new ModelCard.OutputSpec(flags.logitsIndex, null, null, null), List.of("class 0"), layers, null);
        try (LoadedModel m = LoadedModel.load(probe, Device.cpu(), new ModelSettings(1));
             NDManager manager = m.newManager()) {
            NDArray x = input.isText()
                    ? manager.create(m.tokenizer().encode("probe").ids()).expandDims(0)
                    : manager.zeros(new Shape(1).addAll(new Shape(input.shapeArray())), DataType.FLOAT32);
            NDList out = m.call(null, x);
            int classes = (int) out.get(flags.logitsIndex).getShape().get(1);
            Integer attentions = null;
            for (int i = 0; i < out.size(); i++) {
                if (i != flags.logitsIndex && out.get(i).getShape().dimension() == 5) {
                    attentions = i;
                }
            }
            ModelCard.AttentionSpec spec = null;
            if (attentions != null) {
                Shape s = out.get(attentions).getShape();
                spec = new ModelCard.AttentionSpec("batch,layer,head,query,key", (int) s.get(1), (int) s.get(2), 0, null);
            }
            if (!input.isText() && !answers(m, layers.get("features"), x)) {
                layers.clear();
            }
            List<String> names = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                names.add("class " + c);
            }
            return card(id, dir, pt, input, new ModelCard.OutputSpec(flags.logitsIndex, attentions, null, null), names, layers, spec);
        }
    }

    private static boolean answers(LoadedModel m, String method, NDArray x) {
        try {
            m.call(method, x);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static ModelCard card(String id, Path dir, Path pt, ModelCard.InputSpec input, ModelCard.OutputSpec output,
                                  List<String> classes, Map<String, String> layers, ModelCard.AttentionSpec attention) {
        return new ModelCard(id, "local", "bare TorchScript file " + pt, pt.getFileName().toString(), input, output, classes, layers,
                null, null, null, null, attention, null, Map.of(), Map.of("source", pt.toString()), null, dir);
    }

    private static ModelCard.InputSpec inputSpec(ExplainCommand flags, Path pt) throws Exception {
        if (flags.textInput()) {
            if (flags.tokenizer == null) {
                throw new IllegalArgumentException("a bare .pt text model needs --tokenizer tokenizer.json");
            }
            Tokenizer t = Tokenizer.load(flags.tokenizer);
            return new ModelCard.InputSpec("text", List.of(t.maxLength()), null, flags.tokenizer.toAbsolutePath().toString(), null);
        }
        Path in = flags.input;
        String name = in.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy") || name.endsWith(".npz")) {
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                long[] s = NDList.decode(m, Files.readAllBytes(in)).get(0).getShape().getShape();
                if (s.length >= 2 && s[0] == 1) {
                    s = Arrays.copyOfRange(s, 1, s.length);
                }
                return new ModelCard.InputSpec("tensor", Arrays.stream(s).mapToObj(d -> (int) d).toList(), null, null, null);
            }
        }
        BufferedImage img = ImageIO.read(in.toFile());
        if (img == null) {
            throw new IllegalArgumentException(in + " is not a readable image");
        }
        int channels = img.getColorModel().getNumColorComponents() == 1 ? 1 : 3;
        return new ModelCard.InputSpec("image", List.of(channels, img.getHeight(), img.getWidth()),
                new ModelCard.Preprocessing(channels == 1, List.of(img.getHeight(), img.getWidth()), 255.0, List.of(0.0), List.of(1.0)), null, null);
    }
}

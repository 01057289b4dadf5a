package io.spotlight.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spotlight.events.Json;
import io.spotlight.events.ModelRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The JSON file beside a TorchScript model that tells Spotlight how to use it: input kind and
 * preprocessing, which output holds the logits (and the attentions), the exported layer methods,
 * class names, the methods that apply, the default explanation plan, focus regions, provenance.
 */
public record ModelCard(
        String id,
        String version,
        String description,
        String file,
        InputSpec input,
        OutputSpec output,
        List<String> classes,
        Map<String, String> layers,
        List<String> methods,
        Map<String, List<String>> plan,
        Map<String, Map<String, String>> parameters,
        FocusSpec focus,
        AttentionSpec attention,
        Watermark watermark,
        Map<String, Object> metrics,
        Map<String, Object> provenance,
        Map<String, String> samples,
        Path directory) {

    /** {@code name}: the input tensor's name where a model server sends several (Open Inference Protocol). */
    public record InputSpec(String kind, List<Integer> shape, Preprocessing preprocessing, String tokenizer, String name) {
        public boolean isText() {
            return "text".equals(kind);
        }

        public boolean isImage() {
            return "image".equals(kind);
        }

        public long[] shapeArray() {
            return shape.stream().mapToLong(Integer::longValue).toArray();
        }
    }

    /** Image preprocessing, applied in this order: grayscale, resize, divide by scale, (x - mean) / std. */
    public record Preprocessing(Boolean grayscale, List<Integer> resize, Double scale, List<Double> mean, List<Double> std) {}

    /**
     * Indices into a tuple output; logits default to 0, attentions are optional. For predictions read
     * from a model server: {@code name}, the output tensor holding the class scores where it returns
     * several, and {@code scores}, what those are: {@code logits} (the default, what the model's
     * forward returns; Spotlight applies the softmax) or {@code probabilities}.
     */
    public record OutputSpec(Integer logits, Integer attentions, String name, String scores) {
        public static final List<String> SCORES = List.of("logits", "probabilities");

        public int logitsIndex() {
            return logits == null ? 0 : logits;
        }

        public boolean servesLogits() {
            return scores == null || scores.equals("logits");
        }
    }

    /** Layout of the attention output: [batch, layer, head, query, key]; the CLS index; a ViT's patch grid. */
    public record AttentionSpec(String layout, int layers, int heads, int clsIndex, List<Integer> patchGrid) {}

    /**
     * Focus regions (fractions of the image) or watch-listed tokens (text), and the alert
     * thresholds that suit this model (js_divergence, forbidden_mass, watch_mass).
     */
    public record FocusSpec(Region expected, List<Region> forbidden, Watch watch, Map<String, Double> thresholds) {
        /**
         * A named image region: a box {@code [top, left, bottom, right]} in fractions of the image (0 is the
         * top/left edge, 1 the bottom/right), a border band of that width, or a mask image (white inside).
         */
        public record Region(String name, double[] box, Double band, String mask) {

            /** Refuses a region that would silently measure the wrong place: empty, inverted or outside the image. */
            void check(Path card, String where) {
                String what = "model card " + card + ": " + where + (name == null ? "" : " '" + name + "'");
                if (box != null) {
                    String b = Arrays.toString(box);
                    if (box.length != 4) {
                        throw new IllegalArgumentException(what + ": box " + b + " needs four numbers [top, left, bottom, right] (fractions of the image)");
                    }
                    for (double v : box) {
                        if (!(v >= 0 && v <= 1)) {
                            throw new IllegalArgumentException(what + ": box " + b + " leaves [0, 1]; boxes are [top, left, bottom, right] fractions of the image");
                        }
                    }
                    if (box[2] <= box[0] || box[3] <= box[1]) {
                        throw new IllegalArgumentException(what + ": box " + b + " is " + (box[2] == box[0] || box[3] == box[1] ? "empty" : "inverted")
                                + " (bottom must be below top and right of left: [top, left, bottom, right] fractions of the image)");
                    }
                } else if (band != null) {
                    if (!(band > 0 && band < 0.5)) {
                        throw new IllegalArgumentException(what + ": band " + band + " must be a width between 0 and 0.5 of the image");
                    }
                } else if (mask == null) {
                    throw new IllegalArgumentException(what + " has no box, band or mask");
                }
            }
        }

        public record Watch(List<String> tokens, List<String> patterns) {}
    }

    /** The pattern a Clever-Hans model learned, so demos can stamp it. */
    public record Watermark(int top, int left, int[][] pattern, @JsonProperty("class") int classIndex) {}

    public ModelRef ref() {
        return new ModelRef(id, version);
    }

    public int numClasses() {
        return classes.size();
    }

    public String label(int classIndex) {
        return classIndex >= 0 && classIndex < classes.size() ? classes.get(classIndex) : "class " + classIndex;
    }

    /** The output spec, the card's or the defaults. */
    public OutputSpec outputSpec() {
        return output == null ? new OutputSpec(null, null, null, null) : output;
    }

    public String layer(String role) {
        return layers == null ? null : layers.get(role);
    }

    public boolean hasAttentions() {
        return output != null && output.attentions() != null;
    }

    public Path modelFile() {
        return directory.resolve(file == null ? "model.pt" : file);
    }

    /** Reads a card; its directory is where the model file and samples are looked up. */
    public static ModelCard load(Path cardFile) {
        try {
            ObjectNode node = (ObjectNode) Json.MAPPER.readTree(Files.readAllBytes(cardFile));
            node.put("directory", cardFile.toAbsolutePath().getParent().toString());
            ModelCard card = Json.MAPPER.treeToValue(node, ModelCard.class);
            card.check(cardFile);
            return card;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model card " + cardFile, e);
        }
    }

    private void check(Path from) {
        StringBuilder missing = new StringBuilder();
        if (id == null || id.isBlank()) missing.append(" id");
        if (version == null || version.isBlank()) missing.append(" version");
        if (input == null || input.kind() == null || input.shape() == null) missing.append(" input.kind/shape");
        if (classes == null || classes.isEmpty()) missing.append(" classes");
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("model card " + from + " lacks:" + missing);
        }
        if (output != null && output.scores() != null && !OutputSpec.SCORES.contains(output.scores())) {
            throw new IllegalArgumentException("model card " + from + ": output.scores is '" + output.scores() + "', not one of " + OutputSpec.SCORES);
        }
        if (input.isText() && input.tokenizer() == null) {
            throw new IllegalArgumentException("model card " + from + ": a text model needs input.tokenizer");
        }
        if (focus != null) {
            if (focus.expected() != null) {
                focus.expected().check(from, "focus.expected");
            }
            if (focus.forbidden() != null) {
                for (int i = 0; i < focus.forbidden().size(); i++) {
                    focus.forbidden().get(i).check(from, "focus.forbidden[" + i + "]");
                }
            }
        }
    }
}

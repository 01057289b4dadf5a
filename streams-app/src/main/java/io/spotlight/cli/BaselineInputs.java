package io.spotlight.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.spotlight.events.EncodedMap;
import io.spotlight.events.Input;
import io.spotlight.events.Json;
import io.spotlight.events.PredictionEvent;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.Png;
import io.spotlight.model.SampleData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/** What a baseline can be made from: inputs for the model to classify and explain, read from the files a user has. */
final class BaselineInputs {

    /** One input, named after where it came from, with its true class when the source says. */
    record Item(String id, Input input, Integer trueClass) {}

    private BaselineInputs() {}

    /** PNG/JPEG files of a folder (recursively, in name order), or an IDX image file (the Fashion-MNIST format). */
    static List<Item> images(Path path) {
        if (Files.isRegularFile(path)) {
            byte[][] px = SampleData.idxImages(path);
            int side = (int) Math.round(Math.sqrt(px[0].length));
            List<Item> out = new ArrayList<>();
            for (int i = 0; i < px.length; i++) {
                out.add(new Item(path.getFileName() + "#" + i, new Input.Image("png", Base64.getEncoder().encodeToString(Png.grey(px[i], side, side))), null));
            }
            return out;
        }
        List<Item> out = new ArrayList<>();
        for (Path f : files(path, ".png", ".jpg", ".jpeg")) {
            String format = f.toString().toLowerCase(Locale.ROOT).endsWith(".png") ? "png" : "jpeg";
            out.add(new Item(path.relativize(f).toString(), new Input.Image(format, Base64.getEncoder().encodeToString(read(f))), null));
        }
        return out;
    }

    /** Tensors of the model's input shape from .npy/.npz files (a file, or a folder of them): each array one input, or a stack [n, ...] of them. */
    static List<Item> tensors(Path path, LoadedModel model) {
        long[] shape = model.card().input().shapeArray();
        List<Item> out = new ArrayList<>();
        List<Path> files = Files.isRegularFile(path) ? List.of(path) : files(path, ".npy", ".npz");
        try (NDManager manager = model.newManager()) {
            for (Path f : files) {
                NDList arrays = NDList.decode(manager, read(f));
                for (int a = 0; a < arrays.size(); a++) {
                    NDArray array = arrays.get(a).toType(DataType.FLOAT32, false);
                    long[] s = array.getShape().getShape();
                    boolean stack = s.length == shape.length + 1 && Arrays.equals(Arrays.copyOfRange(s, 1, s.length), shape);
                    if (!stack && !Arrays.equals(s, shape)) {
                        throw new IllegalArgumentException(f + ": array " + a + " has shape " + Arrays.toString(s) + "; "
                                + model.card().ref() + " takes " + Arrays.toString(shape) + " (or a stack [n, ...] of them)");
                    }
                    long n = stack ? s[0] : 1;
                    for (long i = 0; i < n; i++) {
                        float[] values = (stack ? array.get(i) : array).toFloatArray();
                        out.add(new Item(f.getFileName() + "#" + (arrays.size() > 1 ? a + ":" : "") + i, new Input.Tensor("float32",
                                Arrays.stream(shape).mapToObj(d -> (int) d).toList(), null,
                                Base64.getEncoder().encodeToString(EncodedMap.littleEndian(values))), null));
                    }
                }
            }
        }
        return out;
    }

    /** One input text per non-blank line. */
    static List<Item> texts(Path file) {
        List<Item> out = new ArrayList<>();
        nonBlankLines(file, (where, line) -> out.add(new Item(where, new Input.Text(line.strip()), null)));
        return out;
    }

    /** Prediction events, one JSON object per non-blank line (as on the predictions topic). */
    static List<PredictionEvent> events(Path file) {
        List<PredictionEvent> out = new ArrayList<>();
        nonBlankLines(file, (where, line) -> {
            try {
                out.add(Json.MAPPER.readValue(line, PredictionEvent.class));
            } catch (IOException e) {
                throw new IllegalArgumentException(where + " is not a prediction event: " + e.getMessage(), e);
            }
        });
        return out;
    }

    /** Each non-blank line of a file, with where it is (file:line). */
    private static void nonBlankLines(Path file, BiConsumer<String, String> each) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                each.accept(file.getFileName() + ":" + (i + 1), lines.get(i));
            }
        }
    }

    private static List<Path> files(Path dir, String... suffixes) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is neither a file nor a folder");
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> out = s.filter(Files::isRegularFile)
                    .filter(f -> Arrays.stream(suffixes).anyMatch(x -> f.toString().toLowerCase(Locale.ROOT).endsWith(x))).sorted().toList();
            if (out.isEmpty()) {
                throw new IllegalArgumentException(dir + " holds no " + String.join("/", suffixes) + " file");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }

}

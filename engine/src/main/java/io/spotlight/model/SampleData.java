package io.spotlight.model;

import io.spotlight.events.Json;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The sample inputs a model card ships (IDX images with labels, or JSON lines of texts with labels). */
public final class SampleData {

    /** One sample: an encoded PNG or a text, and its true class. */
    public record Sample(byte[] png, String text, int label) {}

    private SampleData() {}

    public static List<Sample> of(ModelCard card) {
        if (card.samples() == null) {
            return List.of();
        }
        if (card.samples().containsKey("images")) {
            List<Integer> shape = card.input().shape();
            return images(card.directory().resolve(card.samples().get("images")), card.directory().resolve(card.samples().get("labels")),
                    shape.get(shape.size() - 2), shape.get(shape.size() - 1));
        }
        if (card.samples().containsKey("texts")) {
            return texts(card.directory().resolve(card.samples().get("texts")));
        }
        return List.of();
    }

    /** Raw grey images [n][h*w] from an IDX file (the Fashion-MNIST format). */
    public static byte[][] idxImages(Path file) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            DataInputStream d = new DataInputStream(in);
            d.readInt();
            int n = d.readInt();
            int h = d.readInt();
            int w = d.readInt();
            byte[][] out = new byte[n][h * w];
            for (int i = 0; i < n; i++) {
                d.readFully(out[i]);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Labels from an IDX file. */
    public static byte[] idxLabels(Path file) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            DataInputStream d = new DataInputStream(in);
            d.readInt();
            byte[] out = new byte[d.readInt()];
            d.readFully(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static List<Sample> images(Path images, Path labels, int h, int w) {
        byte[][] px = idxImages(images);
        byte[] lab = idxLabels(labels);
        List<Sample> out = new ArrayList<>(px.length);
        for (int i = 0; i < px.length; i++) {
            out.add(new Sample(Png.grey(px[i], h, w), null, lab[i]));
        }
        return out;
    }

    private static List<Sample> texts(Path jsonl) {
        try {
            List<Sample> out = new ArrayList<>();
            for (String line : Files.readAllLines(jsonl)) {
                if (!line.isBlank()) {
                    var node = Json.MAPPER.readTree(line);
                    out.add(new Sample(null, node.get("text").asText(), node.get("label").asInt()));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jsonl, e);
        }
    }
}

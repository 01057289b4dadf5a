package io.spotlight.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.zip.GZIPInputStream;

/** The shipped sample of Fashion-MNIST test images (models/fashion-cnn/samples), preprocessed as the card says. */
public final class SampleImages {

    private static byte[][] images;
    private static byte[] labels;

    private SampleImages() {}

    public static synchronized byte[] raw(int i) {
        load();
        return images[i];
    }

    public static synchronized int label(int i) {
        load();
        return labels[i];
    }

    public static int count() {
        load();
        return images.length;
    }

    /** Image i as the model's input: pixel / 255, then (x - 0.286) / 0.353. */
    public static float[] tensor(int i) {
        byte[] px = raw(i);
        float[] out = new float[px.length];
        for (int k = 0; k < px.length; k++) {
            out[k] = (float) (((px[k] & 0xFF) / 255.0 - 0.286) / 0.353);
        }
        return out;
    }

    private static void load() {
        if (images != null) {
            return;
        }
        var dir = Models.root().resolve("models/fashion-cnn/samples");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve("images-idx3-ubyte.gz")));
             InputStream lin = new GZIPInputStream(Files.newInputStream(dir.resolve("labels-idx1-ubyte.gz")))) {
            DataInputStream d = new DataInputStream(in);
            d.readInt();
            int n = d.readInt();
            int h = d.readInt();
            int w = d.readInt();
            byte[][] img = new byte[n][h * w];
            for (int i = 0; i < n; i++) {
                d.readFully(img[i]);
            }
            DataInputStream dl = new DataInputStream(lin);
            dl.readInt();
            byte[] lab = new byte[dl.readInt()];
            dl.readFully(lab);
            images = img;
            labels = lab;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.spotlight.testing;

import io.spotlight.model.SampleData;

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
        var dir = Repository.root().resolve("models/fashion-cnn/samples");
        labels = SampleData.idxLabels(dir.resolve("labels-idx1-ubyte.gz"));
        images = SampleData.idxImages(dir.resolve("images-idx3-ubyte.gz"));
    }
}

package io.spotlight.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs a model forward to get class probabilities: what a model server does, for demos, tools and tests. */
public final class Classifier {

    private Classifier() {}

    /** Softmax probabilities, one row per input. */
    public static List<float[]> probabilities(LoadedModel model, List<ModelInput> inputs) {
        try (NDManager m = model.newManager()) {
            NDArray batch = InputBatch.of(m, model.card(), inputs);
            Autograd.disable();
            NDArray logits;
            try {
                logits = model.logits(model.call(null, batch));
            } finally {
                Autograd.enable();
            }
            float[] p = logits.softmax(1).toFloatArray();
            int classes = (int) logits.getShape().get(1);
            List<float[]> out = new ArrayList<>(inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                out.add(Arrays.copyOfRange(p, i * classes, (i + 1) * classes));
            }
            return out;
        }
    }
}

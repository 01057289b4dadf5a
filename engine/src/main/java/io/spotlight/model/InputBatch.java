package io.spotlight.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Decoded inputs of one model as one batched array, filled in Java and handed to the engine in a
 * single call (not one array per input and a stack).
 */
public final class InputBatch {

    private InputBatch() {}

    /** A text model's token ids [R, T], else the tensors [R, ...input shape]. */
    public static NDArray of(NDManager manager, ModelCard card, List<? extends ModelInput> inputs) {
        return card.input().isText() ? ids(manager, inputs) : tensors(manager, card, inputs);
    }

    /** Tensor inputs [R, ...the card's input shape] (float32). */
    public static NDArray tensors(NDManager manager, ModelCard card, List<? extends ModelInput> inputs) {
        long[] shape = card.input().shapeArray();
        int per = Math.toIntExact(new Shape(shape).size());
        float[] all = new float[Math.multiplyExact(per, inputs.size())];
        for (int i = 0; i < inputs.size(); i++) {
            if (!(inputs.get(i) instanceof ModelInput.Dense d)) {
                throw new IllegalArgumentException(card.ref() + " needs a tensor input");
            }
            if (d.values().length != per) {
                throw new IllegalArgumentException(card.ref() + " takes " + per + " values per input, got " + d.values().length);
            }
            System.arraycopy(d.values(), 0, all, i * per, per);
        }
        return manager.create(all, new Shape(inputs.size()).addAll(new Shape(shape)));
    }

    /** Token ids [R, T] of text inputs (int64). */
    public static NDArray ids(NDManager manager, List<? extends ModelInput> inputs) {
        long[] all = null;
        int length = 0;
        for (int i = 0; i < inputs.size(); i++) {
            if (!(inputs.get(i) instanceof ModelInput.Tokens t)) {
                throw new IllegalArgumentException("a text model needs token input");
            }
            long[] ids = t.encoding().ids();
            if (all == null) {
                length = ids.length;
                all = new long[Math.multiplyExact(length, inputs.size())];
            } else if (ids.length != length) {
                throw new IllegalArgumentException("token inputs of " + length + " and " + ids.length + " ids cannot share a batch");
            }
            System.arraycopy(ids, 0, all, i * length, length);
        }
        return manager.create(all == null ? new long[0] : all, new Shape(inputs.size(), length));
    }
}

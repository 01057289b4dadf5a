package io.spotlight.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.spotlight.model.InputBatch;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelCard;
import io.spotlight.model.ModelInput;
import java.util.List;

/**
 * A model seen as a function of the tensor that gradient methods differentiate: an image model's
 * input, or a text model's token embeddings (token ids cannot be differentiated; the embedding
 * layer output can, which is Captum's layer integrated gradients on the embeddings). Rows of a
 * batch may carry auxiliary arrays (a text model's ids, for its padding mask) that are repeated
 * along with them.
 */
public abstract sealed class Differentiable {

    protected final LoadedModel model;

    private Differentiable(LoadedModel model) {
        this.model = model;
    }

    public static Differentiable of(LoadedModel model) {
        return model.card().input().isText() ? new Embeddings(model) : new Inputs(model);
    }

    /** The points to differentiate at ([R, ...], one row per subject) and their auxiliary rows (or null). */
    public record Points(NDArray points, NDArray aux) {}

    public abstract Points points(NDManager manager, List<Subject> subjects);

    /** Logits [rows, classes] at the given points; aux has one row per point, or is null. */
    public abstract NDArray logits(NDArray points, NDArray aux);

    /** Whether the points are image-like [C, H, W] (channel reductions give an H x W map) or token rows [T, D]. */
    public boolean isImage() {
        return imageLike(model.card());
    }

    /** Whether a model's differentiated points are image-like: a [C, H, W] input that is not text. */
    static boolean imageLike(ModelCard card) {
        return !card.input().isText() && card.input().shape().size() == 3;
    }

    /** An image model: the points are its input tensor. */
    static final class Inputs extends Differentiable {
        Inputs(LoadedModel model) {
            super(model);
        }

        @Override
        public Points points(NDManager manager, List<Subject> subjects) {
            return new Points(InputBatch.tensors(manager, model.card(), inputs(subjects)), null);
        }

        @Override
        public NDArray logits(NDArray points, NDArray aux) {
            return model.logits(model.call(null, points));
        }
    }

    /** A text model: the points are the token embeddings; the ids travel as aux rows. */
    static final class Embeddings extends Differentiable {
        private final String embed;
        private final String fromEmbeddings;

        Embeddings(LoadedModel model) {
            super(model);
            ModelCard card = model.card();
            this.embed = card.layer("embed");
            this.fromEmbeddings = card.layer("from_embeddings");
            if (embed == null || fromEmbeddings == null) {
                throw new IllegalArgumentException(card.ref() + ": gradient methods on text need layers.embed and layers.from_embeddings in the card");
            }
        }

        @Override
        public Points points(NDManager manager, List<Subject> subjects) {
            NDArray ids = InputBatch.ids(manager, inputs(subjects));
            // Embeddings are computed without a gradient: they are the leaves we differentiate at.
            return new Points(model.call(embed, ids).singletonOrThrow().stopGradient(), ids);
        }

        @Override
        public NDArray logits(NDArray points, NDArray aux) {
            return model.logits(model.call(fromEmbeddings, points, aux));
        }
    }

    /** The subjects' inputs, for {@link InputBatch}. */
    static List<ModelInput> inputs(List<Subject> subjects) {
        return subjects.stream().map(Subject::input).toList();
    }
}

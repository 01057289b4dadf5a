package io.spotlight.evaluation;

import io.spotlight.events.Identified;
import io.spotlight.model.ModelCard;

/**
 * How a curve removes a unit of the input while keeping it in distribution: an image's pixels take
 * the values of a Gaussian blur of the image (all channels), a text's tokens become [PAD] (which
 * the model masks out) or [UNK] (the position kept, its word gone: this tokenizer family's [MASK]).
 */
public enum Removal implements Identified {
    BLUR, PAD, UNKNOWN;

    /** The removal for a model when none is given: blur for images, [PAD] for text. */
    static Removal defaultFor(ModelCard card) {
        return card.input().isText() ? PAD : BLUR;
    }

    /** Whether the removal applies to the model's input. */
    boolean fits(ModelCard card) {
        return card.input().isText() == (this != BLUR);
    }
}

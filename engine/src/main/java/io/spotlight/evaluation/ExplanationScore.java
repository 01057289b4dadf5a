package io.spotlight.evaluation;

import io.spotlight.attribution.MethodParameters;
import io.spotlight.model.LoadedModel;

/** One score of an explanation: its declared parameters, and the models it applies to. */
abstract class ExplanationScore {

    private final MethodParameters parameters;

    ExplanationScore(MethodParameters parameters) {
        this.parameters = parameters;
    }

    final MethodParameters parameters() {
        return parameters;
    }

    /** Whether the score applies to the model's explanations. */
    abstract boolean supports(LoadedModel model);
}

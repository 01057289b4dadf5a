package io.spotlight.attribution;

import io.spotlight.model.LoadedModel;
import java.util.List;

/**
 * A method computed from one forward and backward at the records themselves ({@link InputPass}):
 * when a plan has several, they share that pass.
 */
abstract class InputPassMethod extends AttributionMethod {

    InputPassMethod(Method method, MethodParameters parameters) {
        super(method, parameters);
    }

    /** Whether the method reads the gradient at the input. */
    abstract boolean needsInputGradient();

    /** Whether the method reads the card's features activation and its gradient. */
    boolean needsActivation() {
        return false;
    }

    /** The method's results from the shared pass. */
    abstract List<Attribution> from(LoadedModel model, List<Subject> subjects, Parameters parameters, InputPass.Result pass);

    @Override
    public final List<Attribution> explain(LoadedModel model, List<Subject> subjects, Parameters parameters) {
        return InputPass.explain(model, subjects, List.of(this), List.of(parameters)).get(0);
    }
}

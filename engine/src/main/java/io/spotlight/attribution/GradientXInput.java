package io.spotlight.attribution;

import io.spotlight.model.LoadedModel;
import java.util.List;

/** Gradient x input: x * d y_c / d x, the first-order contribution of each input feature. */
public final class GradientXInput extends InputPassMethod {

    private static final MethodParameters PARAMETERS = MethodParameters.of(GradientMethods.PRODUCT_REDUCTION, Passes.CHUNK, Passes.PASSES);

    public GradientXInput() {
        super(Method.GRADIENT_X_INPUT, PARAMETERS);
    }

    @Override
    public boolean supports(LoadedModel model) {
        return GradientMethods.differentiable(model);
    }

    @Override
    boolean needsInputGradient() {
        return true;
    }

    @Override
    List<Attribution> from(LoadedModel model, List<Subject> subjects, Parameters parameters, InputPass.Result pass) {
        return GradientMethods.fromGradient(method(), model, subjects, parameters, pass, true);
    }
}

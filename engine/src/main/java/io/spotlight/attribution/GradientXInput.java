package io.spotlight.attribution;

import io.spotlight.model.LoadedModel;
import java.util.List;

/** Gradient x input: x * d y_c / d x, the first-order contribution of each input feature. */
public final class GradientXInput extends AttributionMethod {

    private static final MethodParameters PARAMETERS = MethodParameters.of(GradientMethods.PRODUCT_REDUCTION, Passes.CHUNK);

    public GradientXInput() {
        super(Method.GRADIENT_X_INPUT, PARAMETERS);
    }

    @Override
    public boolean supports(LoadedModel model) {
        return GradientMethods.differentiable(model);
    }

    @Override
    public List<Attribution> explain(LoadedModel model, List<Subject> subjects, Parameters parameters) {
        return GradientMethods.explain(this, model, subjects, parameters, true);
    }
}

package io.spotlight.attribution;

import io.spotlight.model.LoadedModel;
import java.util.List;

/**
 * Vanilla gradients (Simonyan et al. 2013): d y_c / d x. The raw attribution is the signed
 * gradient; the map reduces its channels (the chapter's absolute maximum by default).
 */
public final class Saliency extends InputPassMethod {

    private static final MethodParameters PARAMETERS = MethodParameters.of(GradientMethods.GRADIENT_REDUCTION, Passes.CHUNK, Passes.PASSES);

    public Saliency() {
        super(Method.SALIENCY, PARAMETERS);
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
        return GradientMethods.fromGradient(method(), model, subjects, parameters, pass, false);
    }
}

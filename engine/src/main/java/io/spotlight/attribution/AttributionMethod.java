package io.spotlight.attribution;

import io.spotlight.model.LoadedModel;
import java.util.List;

/**
 * One attribution method. Implementations explain a whole batch of records of one model at once
 * (rows of many records share each forward+backward pass) and return results in subject order.
 */
public abstract class AttributionMethod {

    private final Method method;
    private final MethodParameters parameters;

    protected AttributionMethod(Method method, MethodParameters parameters) {
        this.method = method;
        this.parameters = parameters;
    }

    public final Method method() {
        return method;
    }

    /** The parameters the method takes and the values it records: its one declaration of them. */
    public final MethodParameters parameters() {
        return parameters;
    }

    /** Whether the method applies to the model (a CAM needs exported layer methods, attention needs attentions). */
    public abstract boolean supports(LoadedModel model);

    public abstract List<Attribution> explain(LoadedModel model, List<Subject> subjects, Parameters parameters);

    /** Rows the method sends through the model for one record with these parameters. */
    public int rowsPerRecord(Parameters parameters) {
        return 1;
    }
}

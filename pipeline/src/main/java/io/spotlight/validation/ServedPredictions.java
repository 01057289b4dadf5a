package io.spotlight.validation;

import io.spotlight.events.DeadLetter;
import io.spotlight.events.Input;
import io.spotlight.events.InvalidInputException;
import io.spotlight.events.ModelRef;
import io.spotlight.events.Prediction;
import io.spotlight.events.PredictionEvent;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelCard;
import io.spotlight.model.ModelRegistry;
import io.spotlight.model.ServedTensors;
import io.spotlight.oip.InferMessage;
import io.spotlight.oip.InferTensor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model server's request and its response, joined, as Spotlight's prediction events: inputs
 * from the request, scores from the response (a batch gives one event per row, ids suffixed
 * #row), the model from the request, else the topic, else the response, mapped to a registered
 * card. Each event then passes the checks Spotlight's own events pass. All or nothing: a pair
 * that fails anywhere is rejected whole, so its two records can be replayed once fixed.
 */
public final class ServedPredictions {

    /** The predictions of one pair, or why it was rejected. */
    public record Assembled(List<PredictionEvent> events, Checked.Rejected rejected) {}

    private final ModelNames names;
    private final ModelRegistry registry;
    private final PredictionValidator validator;

    public ServedPredictions(ModelNames names, ModelRegistry registry, PredictionValidator validator) {
        this.names = names;
        this.registry = registry;
        this.validator = validator;
    }

    public Assembled assemble(ServedRecord request, ServedRecord response) {
        InferMessage req = request.message();
        InferMessage res = response.message();
        String id = req.id();
        try {
            ModelRef ref = names.resolve(first(req.modelName(), request.topicModel(), response.topicModel(), res.modelName()),
                    first(req.modelVersion(), res.modelVersion()));
            Optional<LoadedModel> model = registry.find(ref);
            if (model.isEmpty()) {
                return rejected(validator.unknown(ref, id));
            }
            ModelCard card = model.get().card();
            InferTensor in = ServedTensors.pick(req.tensors(), card.input().name(), "input", card);
            InferTensor out = ServedTensors.pick(res.tensors(), card.outputSpec().name(), "output", card);
            int rows = ServedTensors.rows(in, card);
            if (rows == 0) {
                throw new InvalidInputException(DeadLetter.Reason.EMPTY_INPUT, "input '" + in.name() + "' holds no prediction");
            }
            Instant at = req.time() != null ? req.time() : Instant.ofEpochMilli(request.timestamp());
            List<PredictionEvent> events = new ArrayList<>(rows);
            for (int row = 0; row < rows; row++) {
                String eventId = rows == 1 ? id : id + "#" + row;
                double[] p = ServedTensors.probabilities(out, row, rows, card);
                Input input = ServedTensors.input(in, row, rows, card);
                int top = argmax(p);
                PredictionEvent event = new PredictionEvent(eventId, ref, at, input, new Prediction(top, card.label(top), p, null), null,
                        Map.of("source_format", request.format(), "request_id", id));
                Checked checked = validator.check(event);
                if (checked instanceof Checked.Rejected r) {
                    return rejected(r);
                }
                events.add(event);
            }
            return new Assembled(events, null);
        } catch (InvalidInputException e) {
            return rejected(new Checked.Rejected(e.reason(), JsonRecords.brief(e.getMessage()), id));
        }
    }

    private static Assembled rejected(Checked.Rejected r) {
        return new Assembled(List.of(), r);
    }

    private static String first(String... candidates) {
        for (String c : candidates) {
            if (c != null && !c.isEmpty()) {
                return c;
            }
        }
        return null;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}

package io.spotlight.validation;

import static io.spotlight.events.DeadLetter.Reason.INCONSISTENT_PREDICTION;
import static io.spotlight.events.DeadLetter.Reason.MALFORMED_JSON;
import static io.spotlight.events.DeadLetter.Reason.OVERSIZED;
import static io.spotlight.events.DeadLetter.Reason.SCHEMA_INVALID;
import static io.spotlight.events.DeadLetter.Reason.TOMBSTONE;
import static io.spotlight.events.DeadLetter.Reason.UNKNOWN_MODEL;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.config.SpotlightConfig;
import io.spotlight.events.InvalidInputException;
import io.spotlight.events.Json;
import io.spotlight.events.ModelRef;
import io.spotlight.events.Prediction;
import io.spotlight.events.PredictionEvent;
import io.spotlight.events.SchemaValidator;
import io.spotlight.model.InputDecoder;
import io.spotlight.model.LoadedModel;
import io.spotlight.model.ModelRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Everything a prediction event must pass before Spotlight spends anything on it, cheapest check
 * first: size, JSON syntax, the schema, a registered model and version, a prediction consistent
 * with the model's classes, and an input the model can take (decoded, shape, finite numbers).
 */
// Not final: tests stand a validator that fails in unforeseen ways in its place.
public class PredictionValidator {

    private final SchemaValidator schema;
    private final ModelRegistry registry;
    private final int maxBytes;
    private final InputDecoder inputs;

    public PredictionValidator(SchemaValidator schema, ModelRegistry registry, int maxBytes, InputDecoder inputs) {
        this.schema = schema;
        this.registry = registry;
        this.maxBytes = maxBytes;
        this.inputs = inputs;
    }

    /**
     * The validator for the registry's models with the configured limits (the live stream and replays
     * check alike); {@code wholeOriginalBytes} is the largest record a dead letter carries whole, the
     * size limit when input.max-bytes is not set and its ceiling when it is.
     */
    public static PredictionValidator of(SpotlightConfig c, ModelRegistry registry, int wholeOriginalBytes) {
        String configured = c.get("input.max-bytes").trim();
        int maxBytes = configured.isEmpty() ? wholeOriginalBytes : c.integer("input.max-bytes");
        if (maxBytes > wholeOriginalBytes) {
            throw new IllegalArgumentException("input.max-bytes " + maxBytes + " is more than a dead letter can carry whole (" + wholeOriginalBytes
                    + " bytes, with the records the producer and topics allow): lower it, or raise kafka.producer.max.request.size and the "
                    + "topics' max.message.bytes");
        }
        return new PredictionValidator(SchemaValidator.of(SchemaValidator.PREDICTION), registry, maxBytes, inputs(c));
    }

    /** The largest prediction record read (input.max-bytes, or what a dead letter carries whole). */
    public int maxBytes() {
        return maxBytes;
    }

    /** The input decoder with the configured pixel budget (validate, explain and the web view decode alike). */
    public static InputDecoder inputs(SpotlightConfig c) {
        return new InputDecoder(c.longValue("input.max-image-pixels"));
    }

    public Checked check(byte[] value) {
        if (value == null) {
            return new Checked.Rejected(TOMBSTONE, "a record without a value (a tombstone) is not a prediction", null);
        }
        if (value.length == 0) {
            return new Checked.Rejected(MALFORMED_JSON, "empty record value", null);
        }
        if (value.length > maxBytes) {
            return new Checked.Rejected(OVERSIZED, value.length + " bytes, limit " + maxBytes + " (input.max-bytes)", null);
        }
        JsonNode json;
        try {
            json = JsonRecords.READER.readTree(value);
        } catch (IOException e) {
            return new Checked.Rejected(MALFORMED_JSON, JsonRecords.message(e), null);
        }
        if (json == null || json.isMissingNode()) {
            return new Checked.Rejected(MALFORMED_JSON, "no JSON value", null);
        }
        String id = json.path("id").isTextual() ? json.get("id").asText() : null;
        List<String> violations = schema.violations(json);
        if (!violations.isEmpty()) {
            return new Checked.Rejected(SCHEMA_INVALID, JsonRecords.brief(String.join("; ", violations)), id);
        }
        PredictionEvent event;
        try {
            event = Json.MAPPER.treeToValue(json, PredictionEvent.class);
        } catch (JsonProcessingException e) {
            return new Checked.Rejected(SCHEMA_INVALID, JsonRecords.message(e), id);
        }
        return semantics(event, id);
    }

    /** The checks of {@link #check(byte[])} after parsing, for an event made from another format. */
    public Checked check(PredictionEvent event) {
        List<String> violations = schema.violations(Json.MAPPER.valueToTree(event));
        if (!violations.isEmpty()) {
            return new Checked.Rejected(SCHEMA_INVALID, JsonRecords.brief(String.join("; ", violations)), event.id());
        }
        return semantics(event, event.id());
    }

    /** The rejection of an event for an unregistered model, naming the versions that are. */
    Checked.Rejected unknown(ModelRef ref, String id) {
        List<String> versions = registry.versions(ref.id());
        return new Checked.Rejected(UNKNOWN_MODEL, "model " + ref + " is not registered"
                + (versions.isEmpty() ? "" : "; registered versions of " + ref.id() + ": " + versions), id);
    }

    private Checked semantics(PredictionEvent event, String id) {
        Optional<LoadedModel> model = registry.find(event.model());
        if (model.isEmpty()) {
            return unknown(event.model(), id);
        }
        String inconsistency = inconsistency(event.prediction(), model.get().card().numClasses());
        if (inconsistency != null) {
            return new Checked.Rejected(INCONSISTENT_PREDICTION, inconsistency, id);
        }
        try {
            inputs.decode(event.input(), model.get());
        } catch (InvalidInputException e) {
            return new Checked.Rejected(e.reason(), JsonRecords.brief(e.getMessage()), id);
        }
        return new Checked.Valid(event);
    }

    private static String inconsistency(Prediction p, int classes) {
        if (p.classIndex() >= classes) {
            return "predicted class " + p.classIndex() + " but the model has " + classes + " classes";
        }
        if (p.probabilities() != null) {
            if (p.probabilities().length != classes) {
                return p.probabilities().length + " probabilities for a model of " + classes + " classes";
            }
            double sum = 0;
            for (double v : p.probabilities()) {
                sum += v;
            }
            if (Math.abs(sum - 1) > 0.01) {
                return "probabilities sum to " + sum + ", not 1";
            }
        }
        if (p.topK() != null && p.topK().stream().anyMatch(c -> c.classIndex() >= classes)) {
            return "top_k names a class outside the model's " + classes + " classes";
        }
        return null;
    }
}

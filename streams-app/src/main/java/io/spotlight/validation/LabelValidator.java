package io.spotlight.validation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.events.DeadLetter;
import io.spotlight.events.Json;
import io.spotlight.events.Label;
import io.spotlight.events.SchemaValidator;
import java.io.IOException;
import java.util.List;

/** Checks a label record against schemas/label.schema.json. */
public final class LabelValidator {

    /** A usable label, or the reason and message of a rejection. */
    public record Result(Label label, DeadLetter.Reason reason, String message) {}

    private final SchemaValidator schema = SchemaValidator.of(SchemaValidator.LABEL);

    public Result check(byte[] value) {
        if (value == null || value.length == 0) {
            return new Result(null, DeadLetter.Reason.MALFORMED_JSON, "empty record value");
        }
        JsonNode json;
        try {
            json = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(value);
        } catch (IOException e) {
            return new Result(null, DeadLetter.Reason.MALFORMED_JSON, String.valueOf(e.getMessage()).replace('\n', ' '));
        }
        List<String> violations = json == null ? List.of("no JSON value") : schema.violations(json);
        if (!violations.isEmpty()) {
            return new Result(null, DeadLetter.Reason.SCHEMA_INVALID, String.join("; ", violations));
        }
        return new Result(Json.MAPPER.convertValue(json, Label.class), null, null);
    }
}

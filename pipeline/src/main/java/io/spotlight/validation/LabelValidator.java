package io.spotlight.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
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

    /** A label is a few hundred bytes; a much larger record is not one. */
    static final int MAX_BYTES = 16 * 1024;

    private final SchemaValidator schema = SchemaValidator.of(SchemaValidator.LABEL);

    public Result check(byte[] value) {
        if (value == null) {
            return new Result(null, DeadLetter.Reason.TOMBSTONE, "a record without a value (a tombstone) is not a label");
        }
        if (value.length == 0) {
            return new Result(null, DeadLetter.Reason.MALFORMED_JSON, "empty record value");
        }
        if (value.length > MAX_BYTES) {
            return new Result(null, DeadLetter.Reason.OVERSIZED, value.length + " bytes; a label is at most " + MAX_BYTES);
        }
        JsonNode json;
        try {
            json = JsonRecords.READER.readTree(value);
        } catch (IOException e) {
            return new Result(null, DeadLetter.Reason.MALFORMED_JSON, JsonRecords.message(e));
        }
        List<String> violations = json == null || json.isMissingNode() ? List.of("no JSON value") : schema.violations(json);
        if (!violations.isEmpty()) {
            return new Result(null, DeadLetter.Reason.SCHEMA_INVALID, JsonRecords.brief(String.join("; ", violations)));
        }
        try {
            return new Result(Json.MAPPER.treeToValue(json, Label.class), null, null);
        } catch (JsonProcessingException e) {
            // The schema allows any integer; one that does not fit the field must not stop the stream.
            return new Result(null, DeadLetter.Reason.SCHEMA_INVALID, JsonRecords.message(e));
        }
    }
}

package io.spotlight.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/** Validates JSON against one of the contracts in schemas/ (JSON Schema 2020-12, formats asserted). */
public final class SchemaValidator {

    public static final String PREDICTION = "prediction";
    public static final String EXPLANATION = "explanation";
    public static final String DEAD_LETTER = "dead-letter";
    public static final String ATTENTION_DRIFT = "attention-drift";
    public static final String ALERT = "alert";
    public static final String LABEL = "label";
    public static final String MISCLASSIFICATION = "misclassification";

    private final String name;
    private final JsonSchema schema;

    private SchemaValidator(String name, JsonSchema schema) {
        this.name = name;
        this.schema = schema;
    }

    /** Loads schemas/&lt;name&gt;.schema.json from the classpath. */
    public static SchemaValidator of(String name) {
        String resource = "/schemas/" + name + ".schema.json";
        try (InputStream in = SchemaValidator.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no schema " + resource + " on the classpath");
            }
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return new SchemaValidator(name, JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The violations, each as "path: message"; empty when the document is valid. */
    public List<String> violations(JsonNode document) {
        Set<ValidationMessage> messages = schema.validate(document);
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    public void requireValid(JsonNode document) {
        List<String> v = violations(document);
        if (!v.isEmpty()) {
            throw new IllegalArgumentException("not a valid " + name + ": " + String.join("; ", v));
        }
    }
}

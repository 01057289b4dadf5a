package io.spotlight.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.testing.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example in schemas/examples is valid or invalid against its schema, as its name says. */
class SchemaExamplesTest {

    static Stream<Path> examples() throws IOException {
        return Files.list(Repository.root().resolve("schemas/examples")).filter(p -> p.toString().endsWith(".json")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleMatchesItsVerdict(Path example) throws IOException {
        String name = example.getFileName().toString();
        String[] parts = name.split("\\.");
        SchemaValidator schema = SchemaValidator.of(parts[0]);
        JsonNode json = Json.MAPPER.readTree(example.toFile());
        if (parts[1].equals("valid")) {
            assertThat(schema.violations(json)).as(name).isEmpty();
        } else {
            assertThat(parts[1]).isEqualTo("invalid");
            assertThat(schema.violations(json)).as(name).isNotEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void validExamplesReadIntoTheEventRecordsAndBackUnchanged(Path example) throws IOException {
        String name = example.getFileName().toString();
        if (!name.contains(".valid.")) {
            return;
        }
        Class<?> type = switch (name.split("\\.")[0]) {
            case "prediction" -> PredictionEvent.class;
            case "explanation" -> ExplanationEvent.class;
            case "attention-drift" -> DriftEvent.class;
            case "alert" -> AlertEvent.class;
            case "label" -> Label.class;
            case "misclassification" -> MisclassificationEvent.class;
            default -> DeadLetter.class;
        };
        JsonNode original = Json.MAPPER.readTree(example.toFile());
        Object record = Json.MAPPER.treeToValue(original, type);
        assertThat(Json.MAPPER.readTree(Json.bytes(record))).isEqualTo(original);
    }
}

package io.spotlight.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotlight.testing.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example in schemas/examples is valid or invalid against its schema, as its name says
 * ({@code <schema>.valid.<what>.json}, {@code <schema>.invalid.<what>.json}). An invalid example is
 * a valid one of the same schema with one mistake (one member changed, added or removed); it must
 * fail there and nowhere else, so that it cannot pass for a reason nobody meant. Valid examples read
 * into their event records and write back unchanged.
 */
class SchemaExamplesTest {

    /** "path: message", the path a JSON Pointer ("" for the document). */
    private static final Pattern VIOLATION = Pattern.compile("^((?:/[^:]*)?): (.*)$");
    /** A violation about a property of the object at the path (missing, or not allowed). */
    private static final Pattern PROPERTY = Pattern.compile("property '([^']+)'");

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(Repository.root().resolve("schemas/examples"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    static Stream<Path> validExamples() throws IOException {
        return examples().filter(p -> verdict(p).equals("valid"));
    }

    static Stream<Path> invalidExamples() throws IOException {
        return examples().filter(p -> verdict(p).equals("invalid"));
    }

    @Test
    void everyExampleIsNamedForItsSchemaAndVerdictAndEverySchemaHasBothKinds() throws IOException {
        List<Path> all = examples().toList();
        assertThat(all).isNotEmpty();
        Set<String> schemas = new HashSet<>();
        for (Path p : all) {
            assertThat(verdict(p)).as(p.getFileName().toString()).isIn("valid", "invalid");
            SchemaValidator.of(schema(p));
            schemas.add(schema(p));
        }
        for (String s : schemas) {
            assertThat(validExamples().filter(p -> schema(p).equals(s))).as("valid examples of %s", s).isNotEmpty();
            assertThat(invalidExamples().filter(p -> schema(p).equals(s))).as("invalid examples of %s", s).isNotEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void validExampleHasNoViolation(Path example) {
        assertThat(SchemaValidator.of(schema(example)).violations(read(example))).as(example.getFileName().toString()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExamples")
    void invalidExampleFailsWhereItDiffersFromItsClosestValidSibling(Path example) throws IOException {
        JsonNode invalid = read(example);
        List<String> changed = validExamples().filter(p -> schema(p).equals(schema(example)))
                .map(p -> changedPaths(read(p), invalid))
                .min(Comparator.comparingInt(List::size)).orElseThrow();
        String mistake = commonAncestor(changed);
        assertThat(mistake).as("%s: one mistake, not changes all over the document: %s", example.getFileName(), changed).isNotEmpty();
        List<String> violations = SchemaValidator.of(schema(example)).violations(invalid);
        assertThat(violations).as("%s (changed from its closest valid example at %s)", example.getFileName(), mistake).isNotEmpty();
        for (String v : violations) {
            assertThat(locations(v)).as("%s: violation '%s' lies outside the mistake at %s", example.getFileName(), v, mistake)
                    .anyMatch(w -> related(w, mistake));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void validExamplesReadIntoTheEventRecordsAndBackUnchanged(Path example) throws IOException {
        Class<?> type = switch (schema(example)) {
            case SchemaValidator.PREDICTION -> PredictionEvent.class;
            case SchemaValidator.EXPLANATION -> ExplanationEvent.class;
            case SchemaValidator.ATTENTION_DRIFT -> DriftEvent.class;
            case SchemaValidator.ALERT -> AlertEvent.class;
            case SchemaValidator.LABEL -> Label.class;
            case SchemaValidator.MISCLASSIFICATION -> MisclassificationEvent.class;
            case SchemaValidator.DEAD_LETTER -> DeadLetter.class;
            default -> throw new AssertionError("no event record for schema " + schema(example));
        };
        JsonNode original = read(example);
        Object record = Json.MAPPER.treeToValue(original, type);
        assertThat(Json.MAPPER.readTree(Json.bytes(record))).isEqualTo(original);
    }

    @Test
    void aViolationIsPlacedByItsPathAndTheNamedProperty() {
        assertThat(locations("/figures/js_divergence: must have a maximum value of 1")).containsExactly("/figures/js_divergence");
        assertThat(locations(": required property 'model' not found")).containsExactly("", "/model");
        assertThat(locations("/input: required property 'dtype' not found")).containsExactly("/input", "/input/dtype");
        assertThat(related("/input", "/input/kind")).isTrue();
        assertThat(related("/input/kind", "/input")).isTrue();
        assertThat(related("/prediction/probabilities/0", "/prediction/probabilities/0")).isTrue();
        assertThat(related("/input", "/inputs")).isFalse();
        assertThat(related("", "/model")).as("the whole document is no place").isFalse();
        assertThat(commonAncestor(List.of("/input/data", "/input/format", "/input/kind"))).isEqualTo("/input");
        assertThat(commonAncestor(List.of("/model"))).isEqualTo("/model");
        assertThat(commonAncestor(List.of("/true_class", "/timestamp"))).isEmpty();
    }

    /**
     * Where a violation is: its path, and for a missing or unexpected property also that property
     * under it (a changed field fails every branch of a oneOf, each branch at the object).
     */
    static List<String> locations(String violation) {
        Matcher m = VIOLATION.matcher(violation);
        assertThat(m.matches()).as("violation '%s' starts with its path", violation).isTrue();
        Matcher property = PROPERTY.matcher(m.group(2));
        return property.find() ? List.of(m.group(1), m.group(1) + "/" + property.group(1)) : List.of(m.group(1));
    }

    /** The same place, or one inside the other (a oneOf on an object whose field changed); never the root. */
    static boolean related(String a, String b) {
        return !a.isEmpty() && !b.isEmpty() && (a.equals(b) || a.startsWith(b + "/") || b.startsWith(a + "/"));
    }

    /** The deepest path that holds every one of the paths ("" when only the document does). */
    static String commonAncestor(List<String> paths) {
        String[] common = paths.get(0).split("/");
        int n = common.length;
        for (String p : paths) {
            String[] parts = p.split("/");
            int k = 0;
            while (k < Math.min(n, parts.length) && parts[k].equals(common[k])) {
                k++;
            }
            n = k;
        }
        return String.join("/", Arrays.copyOf(common, n));
    }

    /** The smallest parts where two documents differ, as JSON Pointers: a value, or a member present in one only. */
    static List<String> changedPaths(JsonNode a, JsonNode b) {
        List<String> out = new ArrayList<>();
        diff(a, b, "", out);
        return out;
    }

    private static void diff(JsonNode a, JsonNode b, String path, List<String> out) {
        if (a.isObject() && b.isObject()) {
            Set<String> names = new HashSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            names.stream().sorted().forEach(n -> {
                if (a.has(n) && b.has(n)) {
                    diff(a.get(n), b.get(n), path + "/" + n, out);
                } else {
                    out.add(path + "/" + n);
                }
            });
        } else if (a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                diff(a.get(i), b.get(i), path + "/" + i, out);
            }
        } else if (!a.equals(b)) {
            out.add(path);
        }
    }

    private static String schema(Path example) {
        return example.getFileName().toString().split("\\.")[0];
    }

    private static String verdict(Path example) {
        String[] parts = example.getFileName().toString().split("\\.");
        return parts.length > 2 ? parts[1] : "";
    }

    private static JsonNode read(Path example) {
        try {
            return Json.MAPPER.readTree(example.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

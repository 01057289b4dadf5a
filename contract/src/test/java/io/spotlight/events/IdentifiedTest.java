package io.spotlight.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdentifiedTest {

    @Test
    void anIdIsTheNameInLowerKebabCase() {
        assertThat(DeadLetter.Reason.INCONSISTENT_PREDICTION.id()).isEqualTo("inconsistent-prediction");
        assertThat(Identified.ids(DeadLetter.Reason.class)).hasSize(DeadLetter.Reason.values().length)
                .startsWith("oversized", "malformed-json").contains("explain-failed", "inconsistent-prediction");
    }

    @Test
    void jsonWritesAndReadsTheId() throws Exception {
        assertThat(Json.MAPPER.writeValueAsString(DeadLetter.Reason.WRONG_SHAPE)).isEqualTo("\"wrong-shape\"");
        assertThat(Json.MAPPER.readValue("\"non-finite\"", DeadLetter.Reason.class)).isEqualTo(DeadLetter.Reason.NON_FINITE);
    }

    @Test
    void ofFindsTheConstantAndNamesTheKnownOnesOtherwise() {
        assertThat(Identified.of(DeadLetter.Reason.class, " Schema-Invalid ")).isEqualTo(DeadLetter.Reason.SCHEMA_INVALID);
        assertThatThrownBy(() -> Identified.of(DeadLetter.Reason.class, "schema_invalid"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown reason 'schema_invalid'; known: oversized, malformed-json, schema-invalid,");
    }
}

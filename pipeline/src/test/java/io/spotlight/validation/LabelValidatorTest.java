package io.spotlight.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.events.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LabelValidatorTest {

    final LabelValidator validator = new LabelValidator();

    LabelValidator.Result check(String json) {
        return validator.check(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aGoodLabelIsRead() {
        var r = check("{\"prediction_id\": \"p-1\", \"true_class\": 4, \"timestamp\": \"2026-11-24T10:00:00Z\"}");
        assertThat(r.reason()).isNull();
        assertThat(r.label().predictionId()).isEqualTo("p-1");
        assertThat(r.label().trueClass()).isEqualTo(4);
    }

    @Test
    void aClassTheSchemaAllowsButNoIntHoldsIsRejectedNotThrown() {
        var r = check("{\"prediction_id\": \"p-1\", \"true_class\": 3000000000, \"timestamp\": \"2026-11-24T10:00:00Z\"}");
        assertThat(r.label()).isNull();
        assertThat(r.reason()).isEqualTo(DeadLetter.Reason.SCHEMA_INVALID);
        assertThat(r.message()).contains("3000000000");
    }

    @Test
    void trailingContentAndBrokenJsonAreMalformed() {
        assertThat(check("{\"prediction_id\": \"p-1\", \"true_class\": 4, \"timestamp\": \"2026-11-24T10:00:00Z\"} x").reason())
                .isEqualTo(DeadLetter.Reason.MALFORMED_JSON);
        assertThat(check("{\"prediction_id\": ").reason()).isEqualTo(DeadLetter.Reason.MALFORMED_JSON);
        assertThat(check("   ").reason()).isEqualTo(DeadLetter.Reason.SCHEMA_INVALID);
    }

    @Test
    void aMissingClassIsSchemaInvalid() {
        var r = check("{\"prediction_id\": \"p-1\", \"timestamp\": \"2026-11-24T10:00:00Z\"}");
        assertThat(r.reason()).isEqualTo(DeadLetter.Reason.SCHEMA_INVALID);
        assertThat(r.message()).contains("true_class");
    }
}

package io.spotlight.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EncodedMapTest {

    @Test
    void roundTripsEveryBitThroughJson() {
        float[] values = {0f, -0f, 1.5f, Float.MIN_VALUE, -3.4e38f, 0.1f};
        EncodedMap m = EncodedMap.of(values, 2, 3);
        EncodedMap back = Json.read(Json.bytes(m), EncodedMap.class);
        assertThat(back).isEqualTo(m);
        assertThat(back.values()).containsExactly(values);
        assertThat(back.shape()).containsExactly(2, 3);
    }

    @Test
    void theShapeMustHoldTheValues() {
        assertThatThrownBy(() -> EncodedMap.of(new float[5], 2, 3)).hasMessageContaining("does not hold");
    }
}

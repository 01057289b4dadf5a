package io.spotlight.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    @Test
    void refillsAtTheRateUpToTheBurstAndNeverGoesBackInTime() {
        TokenBucket b = TokenBucket.full(2, 1000);
        b = b.take().take();
        assertThat(b.hasToken()).isFalse();
        b = b.refill(1500, 2, 2);
        assertThat(b.tokens()).isEqualTo(1.0);
        b = b.refill(100_000, 2, 2);
        assertThat(b.tokens()).isEqualTo(2.0);
        TokenBucket late = b.take().refill(50_000, 2, 2);
        assertThat(late.tokens()).as("an older event adds nothing").isEqualTo(1.0);
        assertThat(late.atMillis()).isEqualTo(100_000);
    }
}

package io.spotlight.sampling;

/**
 * A token bucket on event time: {@code rate} tokens per second up to {@code burst}. Event time
 * (not the wall clock) keeps decisions the same when a topic is replayed.
 */
public record TokenBucket(double tokens, long atMillis) {

    public static TokenBucket full(double burst, long atMillis) {
        return new TokenBucket(burst, atMillis);
    }

    /** The bucket refilled up to {@code nowMillis}; time never runs backwards for it. */
    public TokenBucket refill(long nowMillis, double ratePerSecond, double burst) {
        long now = Math.max(nowMillis, atMillis);
        return new TokenBucket(Math.min(burst, tokens + (now - atMillis) / 1000.0 * ratePerSecond), now);
    }

    public boolean hasToken() {
        return tokens >= 1.0;
    }

    public TokenBucket take() {
        return new TokenBucket(tokens - 1.0, atMillis);
    }
}

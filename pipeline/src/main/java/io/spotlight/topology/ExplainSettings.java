package io.spotlight.topology;

import io.spotlight.config.SpotlightConfig;
import java.time.Duration;

/**
 * How the explain stage batches and retries: batches of {@code batchSize} (once it is sized), or
 * whatever the buffer holds once the input has been idle for {@code idle} or its oldest request has
 * waited {@code linger}; a request whose attempts never end (an error, or the process dying) is
 * tried alone up to {@code maxAttempts} times in all; one the engine failed on (not the record) is
 * tried again after a backoff that doubles from {@code retryBackoff}, {@code maxRetries} times.
 */
public record ExplainSettings(BatchSize batchSize, Duration linger, Duration idle, int maxAttempts, int maxRetries, Duration retryBackoff) {

    static final Duration LONGEST_BACKOFF = Duration.ofMinutes(1);

    /** The settings of a configuration, batches as large as {@code batchSize} says when they are explained. */
    public static ExplainSettings of(SpotlightConfig c, BatchSize batchSize) {
        // The idle check is a wall-clock punctuation, which Kafka Streams schedules at 1 ms at the finest.
        if (c.longValue("explain.idle-ms") < 1) {
            throw new IllegalArgumentException("explain.idle-ms must be at least 1, got " + c.longValue("explain.idle-ms"));
        }
        return new ExplainSettings(batchSize, Duration.ofMillis(c.longValue("explain.linger-ms")),
                Duration.ofMillis(c.longValue("explain.idle-ms")), c.integer("explain.max-attempts"), c.integer("explain.max-retries"),
                Duration.ofMillis(c.longValue("explain.retry-backoff-ms")));
    }

    /** The wait before retry number {@code retry} (1 for the first). */
    Duration backoff(int retry) {
        Duration d = retryBackoff.multipliedBy(1L << Math.min(retry - 1, 20));
        return d.compareTo(LONGEST_BACKOFF) > 0 ? LONGEST_BACKOFF : d;
    }
}

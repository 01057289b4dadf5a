package io.spotlight.kafka;

import java.util.Optional;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/** Kafka could not be reached, or refused who we are or what we asked; the message says which, in one sentence. */
public final class KafkaAccessException extends RuntimeException {

    public KafkaAccessException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first refused authentication or authorization among a failure's causes. */
    public static Optional<Throwable> refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}

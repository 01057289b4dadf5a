package io.spotlight.topology;

import io.spotlight.events.DeadLetter;

/** A record on its way: a value for the next stage, or a dead letter. Never serialised (it only passes between processors). */
sealed interface Routed<T> {

    record Ok<T>(T value) implements Routed<T> {}

    record Dead<T>(DeadLetter letter) implements Routed<T> {}

    static <T> Routed<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Routed<T> dead(DeadLetter letter) {
        return new Dead<>(letter);
    }

    default boolean ok() {
        return this instanceof Ok;
    }

    default T value() {
        return ((Ok<T>) this).value();
    }

    default DeadLetter letter() {
        return ((Dead<T>) this).letter();
    }
}

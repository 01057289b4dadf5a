package io.spotlight.topology;

import java.util.Locale;

/**
 * Which part of the pipeline an instance runs. One binary: the cheap stages (validate, sample,
 * drift) can run on CPU hosts as {@code gate}, the expensive one on GPU hosts as {@code explain};
 * {@code all} runs everything in one application.
 */
public enum Role {
    ALL, GATE, EXPLAIN;

    public static Role of(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("role must be all, gate or explain, got '" + s + "'");
        }
    }

    boolean gates() {
        return this != EXPLAIN;
    }

    boolean explains() {
        return this != GATE;
    }
}

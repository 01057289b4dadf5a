package io.spotlight.topology;

import io.spotlight.events.Identified;

/**
 * Which part of the pipeline an instance runs. One binary: the cheap stages (validate, sample,
 * drift) can run on CPU hosts as {@code gate}, the expensive one on GPU hosts as {@code explain};
 * {@code all} runs everything in one application.
 */
public enum Role implements Identified {
    ALL, GATE, EXPLAIN;

    boolean gates() {
        return this != EXPLAIN;
    }

    boolean explains() {
        return this != GATE;
    }
}

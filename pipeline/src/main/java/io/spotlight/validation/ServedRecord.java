package io.spotlight.validation;

import io.spotlight.oip.InferMessage;

/**
 * A model server's request or response, read, with where it came from: what the join pairs, and
 * what a dead letter needs if the pair fails (its topic, partition, offset and original bytes).
 */
public record ServedRecord(InferMessage message, String format, String topic, int partition, long offset, long timestamp,
                           String key, String topicModel, byte[] original) {}

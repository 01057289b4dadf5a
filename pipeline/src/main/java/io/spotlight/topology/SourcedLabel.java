package io.spotlight.topology;

import io.spotlight.events.Label;

/**
 * A label with the record it was read from (its coordinates and bytes; a label is small), so that
 * one whose prediction never comes can be dead-lettered as it arrived.
 */
record SourcedLabel(Label label, String topic, int partition, long offset, byte[] original) {}

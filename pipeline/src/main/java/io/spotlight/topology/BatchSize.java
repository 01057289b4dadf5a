package io.spotlight.topology;

/**
 * How many requests the explain stage explains together. A running instance learns it after its
 * stream has started: start-up measures the time per record on this host (the warm-up) while the
 * stream restores its state, and only then knows how many records fit in a transaction. Until it is
 * sized, the stage explains nothing (the models' first calls belong to the warm-up's thread) and
 * keeps what it receives buffered.
 */
public final class BatchSize {

    private volatile int records;

    private BatchSize(int records) {
        this.records = records;
    }

    /** A size known from the start (tests, tools that measured nothing). */
    public static BatchSize of(int records) {
        if (records < 1) {
            throw new IllegalArgumentException("a batch holds at least one record, not " + records);
        }
        return new BatchSize(records);
    }

    /** A size the warm-up will set. */
    public static BatchSize unsized() {
        return new BatchSize(0);
    }

    public void set(int records) {
        if (records < 1) {
            throw new IllegalArgumentException("a batch holds at least one record, not " + records);
        }
        this.records = records;
    }

    /** Records per batch, or 0 while unsized. */
    public int records() {
        return records;
    }

    @Override
    public String toString() {
        return records == 0 ? "unsized" : Integer.toString(records);
    }
}

package io.spotlight.replay;

import io.spotlight.events.ExplanationEvent;
import java.io.IOException;
import java.util.List;

/** Where a replay's re-explained events go. It accounts for every one: an audit copy is never lost without the report saying so. */
public interface ReplaySink extends AutoCloseable {

    void accept(ExplanationEvent e);

    /** Waits until every event accepted so far is stored or refused; returns the refused ones, "prediction id: why". */
    List<String> flush();

    @Override
    void close() throws IOException;
}

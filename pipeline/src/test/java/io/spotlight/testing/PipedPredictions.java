package io.spotlight.testing;

import io.spotlight.events.Json;
import io.spotlight.events.PredictionEvent;
import io.spotlight.explanation.ExplainRequest.PredictionSource;
import io.spotlight.topology.PredictionLookup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.TestInputTopic;

/**
 * The predictions topic of a TopologyTestDriver, remembered as it is piped so that misclassification
 * analyses can read their input back by offset: the driver has no broker to read from, so this
 * stands in for one (tests that use it say so).
 */
public final class PipedPredictions implements PredictionLookup {

    private final String name;
    private final List<byte[]> piped = new ArrayList<>();
    private TestInputTopic<String, byte[]> topic;

    public PipedPredictions(String name) {
        this.name = name;
    }

    /** Pipes into the driver's topic from now on (the driver is made after the topology this lookup serves). */
    public void attach(TestInputTopic<String, byte[]> driverTopic) {
        this.topic = driverTopic;
    }

    public void pipeInput(String key, byte[] value) {
        piped.add(value);
        topic.pipeInput(key, value);
    }

    public void pipeInput(String key, byte[] value, Instant timestamp) {
        piped.add(value);
        topic.pipeInput(key, value, timestamp);
    }

    @Override
    public Optional<PredictionEvent> read(PredictionSource source) {
        if (!source.topic().equals(name) || source.offset() >= piped.size() || piped.get((int) source.offset()) == null) {
            return Optional.empty();
        }
        return Optional.of(Json.read(piped.get((int) source.offset()), PredictionEvent.class));
    }
}

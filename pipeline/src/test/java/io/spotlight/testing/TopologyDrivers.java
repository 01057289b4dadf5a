package io.spotlight.testing;

import io.spotlight.topology.SpotlightTopology;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** Kafka Streams' test driver for a topology, with its stages' exception handlers as the application sets them. */
public final class TopologyDrivers {

    private TopologyDrivers() {}

    public static TopologyTestDriver of(Topology topology, SpotlightTopology.Stages stages, String application, Path stateDir) {
        Properties props = new Properties();
        props.putAll(SpotlightTopology.errorHandling(stages));
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, application);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(topology, props);
    }
}

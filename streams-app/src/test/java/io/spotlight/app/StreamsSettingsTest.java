package io.spotlight.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.config.SpotlightConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Production defaults for `run`: a state directory that outlives restarts, static membership from it, the cluster's replication. */
class StreamsSettingsTest {

    @TempDir
    Path state;

    @Test
    void theStateDirectoryPersistsAndDefaultsToTheUsersHome() {
        assertThat(StreamsSettings.stateDir(SpotlightConfig.defaults())).isEqualTo(Path.of(System.getProperty("user.home"), ".spotlight", "state"));
        Properties p = StreamsSettings.of(SpotlightConfig.defaults().with(Map.of("state.dir", state.toString())), Map.of());
        assertThat(p.get(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo(state.toString());
    }

    @Test
    void aRestartedInstanceJoinsUnderTheSameStaticMemberIdAndAnotherInstanceUnderItsOwn(@TempDir Path other) {
        SpotlightConfig c = SpotlightConfig.defaults().with(Map.of("state.dir", state.toString()));
        String id = (String) StreamsSettings.of(c, Map.of()).get(StreamsConfig.consumerPrefix("group.instance.id"));
        assertThat(id).startsWith("spotlight-");
        assertThat(StreamsSettings.of(c, Map.of()).get(StreamsConfig.consumerPrefix("group.instance.id"))).as("after a restart").isEqualTo(id);
        assertThat(StreamsSettings.of(c.with(Map.of("state.dir", other.toString())), Map.of()).get(StreamsConfig.consumerPrefix("group.instance.id")))
                .isNotEqualTo(id);
    }

    @Test
    void replicationIsTheClustersUnlessConfigured() {
        SpotlightConfig c = SpotlightConfig.defaults().with(Map.of("state.dir", state.toString()));
        assertThat(StreamsSettings.replication(c)).isEqualTo((short) -1);
        assertThat(StreamsSettings.of(c, Map.of()).get(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(-1);
        assertThat(StreamsSettings.replication(c.with(Map.of("topics.replication", "3")))).isEqualTo((short) 3);
    }

    @Test
    void exactlyOnceWithInMemoryStoresAndKafkaKeysLast() {
        SpotlightConfig c = SpotlightConfig.defaults().with(Map.of("state.dir", state.toString(), "kafka.producer.transaction.timeout.ms", "45000"));
        Properties p = StreamsSettings.of(c, Map.of());
        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(p.get(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG)).isEqualTo(BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class);
        assertThat(p.get(StreamsConfig.producerPrefix("transaction.timeout.ms"))).isEqualTo("45000");
    }
}

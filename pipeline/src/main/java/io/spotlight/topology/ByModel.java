package io.spotlight.topology;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/** Partitions drift keys (model | version | class) by model id alone, as the default partitioner would hash the id. */
final class ByModel implements StreamPartitioner<String, FocusPoint> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, FocusPoint value, int numPartitions) {
        return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(DriftProcessor.modelOf(key).getBytes(StandardCharsets.UTF_8))) % numPartitions));
    }
}

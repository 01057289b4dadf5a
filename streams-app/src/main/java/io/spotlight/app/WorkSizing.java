package io.spotlight.app;

import io.spotlight.config.SpotlightConfig;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Checks at start-up that the work Kafka Streams hands one transaction and one poll fits its time:
 * a batch of explanations within half of transaction.timeout.ms (the stage commits after each
 * batch), and a poll's records within half of max.poll.interval.ms. The time per record is the
 * warm-up's, for every method a model's plans hold, twice over (an analysis explains two classes),
 * and a batch is priced at that rate per record: batching only makes it cheaper. A configuration
 * that cannot fit is refused with the settings to change.
 */
final class WorkSizing {

    private WorkSizing() {}

    static void check(Properties streams, SpotlightConfig config, Map<String, Double> msPerRecord) {
        double perRecord = 2 * msPerRecord.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        StreamsConfig sc = new StreamsConfig(streams);
        long transaction = number(sc.getProducerConfigs("sizing").get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
        long poll = number(sc.getMainConsumerConfigs("sizing", "sizing", 0).get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG));
        int batch = config.integer("explain.batch-size");
        int records = config.integer("explain.max-poll-records");
        if (batch * perRecord > transaction / 2.0) {
            throw new IllegalStateException(String.format(Locale.ROOT, "a batch of %d explanations may take %.0f ms (%.1f ms per record measured at "
                    + "start-up, twice for an analysis), more than half of transaction.timeout.ms (%d): lower explain.batch-size or raise "
                    + "kafka.producer.transaction.timeout.ms", batch, batch * perRecord, perRecord / 2, transaction));
        }
        if (records * perRecord > poll / 2.0) {
            throw new IllegalStateException(String.format(Locale.ROOT, "a poll of %d records may take %.0f ms to explain, more than half of "
                    + "max.poll.interval.ms (%d): lower explain.max-poll-records or raise explain.max-poll-interval-ms", records, records * perRecord, poll));
        }
    }

    private static long number(Object value) {
        return Long.parseLong(String.valueOf(value).trim());
    }
}

package io.spotlight.app;

import io.spotlight.config.SpotlightConfig;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sizes the work Kafka Streams hands one transaction and one poll to the time they have, from the
 * warm-up's time per record (every method a model's plans hold, twice over: an analysis explains two
 * classes; a batch priced at that rate per record, since batching only makes it cheaper). The
 * explain stage commits after each batch, so a batch must fit in half of transaction.timeout.ms:
 * a larger explain.batch-size is lowered to what fits on this host (results do not depend on batch
 * size). A configuration in which one record does not fit, or a poll's records do not fit in half
 * of max.poll.interval.ms, is refused with the settings to change.
 */
final class WorkSizing {

    private static final Logger log = LoggerFactory.getLogger(WorkSizing.class);

    private WorkSizing() {}

    /** The batch size to use: explain.batch-size, or less where that would not fit in a transaction. */
    static int batchSize(Properties streams, SpotlightConfig config, Map<String, Double> msPerRecord) {
        double perRecord = 2 * msPerRecord.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        StreamsConfig sc = new StreamsConfig(streams);
        long transaction = number(sc.getProducerConfigs("sizing").get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
        long poll = number(sc.getMainConsumerConfigs("sizing", "sizing", 0).get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG));
        int configured = config.integer("explain.batch-size");
        int records = config.integer("explain.max-poll-records");
        if (perRecord > transaction / 2.0) {
            throw new IllegalStateException(String.format(Locale.ROOT, "one record may take %.0f ms to explain (%.1f ms measured at start-up, twice "
                    + "for an analysis), more than half of transaction.timeout.ms (%d): raise kafka.producer.transaction.timeout.ms or lighten the "
                    + "explanation plans", perRecord, perRecord / 2, transaction));
        }
        if (records * perRecord > poll / 2.0) {
            throw new IllegalStateException(String.format(Locale.ROOT, "a poll of %d records may take %.0f ms to explain, more than half of "
                    + "max.poll.interval.ms (%d): lower explain.max-poll-records or raise explain.max-poll-interval-ms", records, records * perRecord, poll));
        }
        int fits = perRecord == 0 ? configured : (int) Math.min(configured, Math.floor(transaction / 2.0 / perRecord));
        if (fits < configured) {
            log.warn("explain.batch-size {} lowered to {} on this host: a batch may take {} ms per record, and must fit in half of "
                    + "transaction.timeout.ms ({})", configured, fits, Math.round(perRecord), transaction);
        }
        return fits;
    }

    private static long number(Object value) {
        return Long.parseLong(String.valueOf(value).trim());
    }
}

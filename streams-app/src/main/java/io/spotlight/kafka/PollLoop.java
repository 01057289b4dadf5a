package io.spotlight.kafka;

import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer read on a daemon thread of its own, for the application's side readers: after a
 * setup (assigning or seeking), each record goes to a handler until {@link #close}, which wakes the
 * poll and waits for the thread. The consumer is used and closed on that thread only (consumers
 * are single-threaded); a failure ends the loop and is logged, never thrown into the stream.
 */
public final class PollLoop<K, V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PollLoop.class);

    private final KafkaConsumer<K, V> consumer;
    private final Thread thread;

    /** @param what what the loop does, for the log line of a failure ("the web view stopped reading events") */
    public PollLoop(String name, String what, KafkaConsumer<K, V> consumer, Duration poll, Runnable setup,
                    Consumer<ConsumerRecord<K, V>> handler) {
        this.consumer = consumer;
        this.thread = new Thread(() -> {
            try {
                setup.run();
                while (!Thread.currentThread().isInterrupted()) {
                    consumer.poll(poll).forEach(handler);
                }
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                log.warn("{}: {}", what, e.toString());
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.spotlight.demo;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes demo traffic at a steady rate until stopped or a count is reached. */
public final class DemoProducer implements Runnable, AutoCloseable {

    private final DemoTraffic traffic;
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final double ratePerSecond;
    private final long limit;
    private final Clock clock;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean running = true;
    private volatile Exception failure;

    public DemoProducer(DemoTraffic traffic, String bootstrap, String topic, double ratePerSecond, long limit, Clock clock) {
        this.traffic = traffic;
        this.topic = topic;
        this.ratePerSecond = ratePerSecond;
        this.limit = limit;
        this.clock = clock;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.CLIENT_ID_CONFIG, "spotlight-demo-producer"),
                new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        try {
            for (long n = 0; running && (limit <= 0 || n < limit); n++) {
                long due = start + (long) (n * 1e9 / ratePerSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                DemoTraffic.Event e = traffic.next(n, clock.instant());
                producer.send(new ProducerRecord<>(topic, e.id(), e.json()));
                sent.incrementAndGet();
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failure = e;
        } finally {
            running = false;
        }
    }

    public long sent() {
        return sent.get();
    }

    public boolean running() {
        return running;
    }

    public Exception failure() {
        return failure;
    }

    public void stop() {
        running = false;
    }

    @Override
    public void close() {
        running = false;
        producer.close();
    }
}

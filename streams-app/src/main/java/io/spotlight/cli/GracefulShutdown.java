package io.spotlight.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A shutdown hook (SIGTERM / Ctrl-C) that only asks to stop, then holds the JVM, up to 60 s, until
 * this is closed. Opened before what it guards and closed after it (the first resource of a
 * try-with-resources), so that the application and broker close cleanly before the JVM goes.
 */
final class GracefulShutdown implements AutoCloseable {

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    GracefulShutdown(String threadName) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            requested.countDown();
            try {
                closed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, threadName));
    }

    /** Waits up to that long for a stop request; true when one came. */
    boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return requested.await(timeout, unit);
    }

    boolean stopRequested() {
        return requested.getCount() == 0;
    }

    /** Lets the shutdown hook, if running, return. */
    @Override
    public void close() {
        closed.countDown();
    }
}

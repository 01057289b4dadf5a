package io.spotlight.web;

import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Web view requests are worked on here, not on the threads that accept requests: a few at once,
 * a bounded number waiting (a page asks for all its pictures at once), so pictures and model runs
 * can never hold up /metrics and /health; beyond that, 503 with Retry-After at once.
 */
final class WebWorkers implements AutoCloseable {

    private final ThreadPoolExecutor pool;

    WebWorkers(int threads, int waiting) {
        AtomicInteger n = new AtomicInteger();
        BlockingQueue<Runnable> queue = waiting == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(waiting);
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, queue, r -> {
            Thread t = new Thread(r, "spotlight-web-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The handler, run on a worker; the exchange is finished there. */
    HttpHandler dispatch(HttpHandler handler) {
        return ex -> {
            try {
                pool.execute(() -> {
                    try {
                        handler.handle(ex);
                    } catch (IOException e) {
                        ex.close();
                    }
                });
            } catch (RejectedExecutionException busy) {
                ex.getResponseHeaders().set("Retry-After", "1");
                MetricsServer.respond(ex, 503, "text/plain; charset=utf-8", "busy: too many web view requests at once (http.max-concurrent, http.max-queued)\n");
                ex.close();
            }
        };
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}

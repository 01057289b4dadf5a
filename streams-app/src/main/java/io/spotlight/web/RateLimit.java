package io.spotlight.web;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.spotlight.sampling.TokenBucket;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Requests per second per client address, a token bucket each (bursts of three seconds' worth);
 * beyond it, 429 with Retry-After. The buckets of the least recent clients are forgotten past a
 * few thousand, so many addresses cannot grow the memory without bound.
 */
final class RateLimit extends Filter {

    private static final int CLIENTS = 4096;

    private final double perSecond;
    private final double burst;
    private final Map<String, TokenBucket> buckets = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
            return size() > CLIENTS;
        }
    };

    RateLimit(double perSecond) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, 3 * perSecond);
    }

    @Override
    public void doFilter(HttpExchange ex, Chain chain) throws IOException {
        if (take(ex.getRemoteAddress().getAddress().getHostAddress(), System.currentTimeMillis())) {
            chain.doFilter(ex);
            return;
        }
        ex.getResponseHeaders().set("Retry-After", Long.toString((long) Math.ceil(1 / perSecond)));
        MetricsServer.respond(ex, 429, "text/plain; charset=utf-8", "too many requests from this address (http.requests-per-second)\n");
        ex.close();
    }

    private synchronized boolean take(String client, long now) {
        TokenBucket b = buckets.getOrDefault(client, TokenBucket.full(burst, now)).refill(now, perSecond, burst);
        if (!b.hasToken()) {
            buckets.put(client, b);
            return false;
        }
        buckets.put(client, b.take());
        return true;
    }

    @Override
    public String description() {
        return "at most http.requests-per-second per client address";
    }
}

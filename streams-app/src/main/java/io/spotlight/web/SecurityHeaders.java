package io.spotlight.web;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * Headers every response carries: a Content-Security-Policy that lets the page run only its own
 * script and style and load only its own data and pictures, no framing by another site
 * (clickjacking), no content-type sniffing, no referrer, no embedding by other sites, and nothing
 * cached (the answers hold prediction inputs and explanations).
 */
final class SecurityHeaders extends Filter {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    @Override
    public void doFilter(HttpExchange ex, Chain chain) throws IOException {
        Headers h = ex.getResponseHeaders();
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        // Same site, not same origin: Grafana's model-detail dashboard (another port of the same host) shows the focus map.
        h.set("Cross-Origin-Resource-Policy", "same-site");
        h.set("Cache-Control", "no-store");
        chain.doFilter(ex);
    }

    @Override
    public String description() {
        return "Content-Security-Policy, nosniff, no framing, no referrer, no caching";
    }
}

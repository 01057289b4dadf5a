package io.spotlight.web;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/** Lets a request through when it carries the credentials of its path; otherwise 401, asking browsers for a basic login when one opens the path. */
final class Authentication extends Filter {

    private final Credentials credentials;

    Authentication(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public void doFilter(HttpExchange ex, Chain chain) throws IOException {
        if (credentials.accept(ex.getRequestHeaders().getFirst("Authorization"))) {
            chain.doFilter(ex);
            return;
        }
        ex.getResponseHeaders().set("WWW-Authenticate", credentials.acceptsBasic()
                ? "Basic realm=\"Spotlight\", charset=\"UTF-8\"" : "Bearer realm=\"Spotlight\"");
        MetricsServer.respond(ex, 401, "text/plain; charset=utf-8", "authentication required\n");
        ex.close();
    }

    @Override
    public String description() {
        return "bearer token or basic login";
    }
}

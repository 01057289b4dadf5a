package io.spotlight.web;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Answers only requests addressed to this endpoint: a Host that is an IP address, localhost, or a
 * name in http.allowed-hosts. A page on another site whose name was pointed at this address (DNS
 * rebinding) sends its own name in Host, and is refused before it can read anything. Requests
 * without a Host (HTTP/1.0 probes) come from no browser and pass.
 */
final class HostCheck extends Filter {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Set<String> allowed;

    HostCheck(Set<String> allowed) {
        this.allowed = allowed;
    }

    @Override
    public void doFilter(HttpExchange ex, Chain chain) throws IOException {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null || allowed(name(host))) {
            chain.doFilter(ex);
            return;
        }
        MetricsServer.respond(ex, 403, "text/plain; charset=utf-8", "this endpoint does not answer to that Host name (see http.allowed-hosts)\n");
        ex.close();
    }

    /** The host name of a Host header: without its port, IPv6 literals with their brackets. */
    static String name(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    boolean allowed(String name) {
        return name.equals("localhost") || IPV4.matcher(name).matches() || (name.startsWith("[") && name.endsWith("]")) || allowed.contains(name);
    }

    @Override
    public String description() {
        return "answers only to IP addresses, localhost and http.allowed-hosts";
    }
}

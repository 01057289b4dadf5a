package io.spotlight.web;

import io.spotlight.config.SpotlightConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How the HTTP endpoint protects itself, from the configuration: where it listens, what opens
 * /ui/ and /metrics + /health, which Host names it answers to, how fast and how much at once a
 * client may ask.
 *
 * @param web what opens /ui/ (nothing on loopback unless set)
 * @param metrics what opens /metrics and /health (nothing unless metrics.token is set)
 * @param allowedHosts Host names answered besides IP addresses and localhost, lower case
 * @param requestsPerSecond per client address; bursts of three seconds' worth
 * @param maxConcurrent web view requests worked on at once
 * @param maxQueued web view requests that may wait for a worker (a page asks for all its pictures at once)
 */
public record HttpPolicy(String host, int port, Credentials web, Credentials metrics, Set<String> allowedHosts,
                         double requestsPerSecond, int maxConcurrent, int maxQueued) {

    /**
     * The policy a configuration asks for. Refuses to serve the web view beyond loopback without
     * credentials: it shows prediction inputs and their explanations.
     */
    public static HttpPolicy from(SpotlightConfig c) {
        String host = c.get("metrics.host");
        Credentials web = new Credentials(c.get("web.token"), c.get("web.user"), c.get("web.password"));
        if (c.bool("web.enabled") && !web.required() && !isLoopback(host)) {
            throw new IllegalArgumentException("metrics.host=" + host + " serves the web view beyond loopback, and the web view shows prediction "
                    + "inputs and explanations: set web.password (basic login, user web.user) or web.token, or bind metrics.host to 127.0.0.1, "
                    + "or set web.enabled=false to serve only /metrics and /health");
        }
        double rate = c.real("http.requests-per-second");
        int concurrent = c.integer("http.max-concurrent");
        int queued = c.integer("http.max-queued");
        if (rate <= 0 || concurrent <= 0 || queued < 0) {
            throw new IllegalArgumentException("http.requests-per-second and http.max-concurrent must be positive, http.max-queued at least 0");
        }
        // The name it listens on is one it answers to.
        Set<String> allowed = Stream.concat(Arrays.stream(c.get("http.allowed-hosts").split(",")), Stream.of(host))
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        return new HttpPolicy(host, c.integer("metrics.port"), web, new Credentials(c.get("metrics.token"), "", ""), allowed, rate, concurrent, queued);
    }

    /** Whether a listen address keeps the endpoint on this machine. */
    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("metrics.host=" + host + " does not resolve", e);
        }
    }
}

package io.spotlight.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which settings are secrets, and how they are hidden wherever configuration or messages are
 * printed: {@code spotlight config --effective}, the logs, error messages, the web view. The
 * values of the secrets of every configuration loaded in this process are remembered, so any
 * text can have them taken out ({@link #redact}).
 */
public final class Secrets {

    public static final String HIDDEN = "[hidden]";

    /** Spotlight's own secrets. */
    private static final Set<String> KEYS = Set.of("web.password", "web.token", "metrics.token");
    /** Kafka client keys that carry secrets: passwords, client secrets, key material, JAAS lines (which hold passwords). */
    private static final Pattern KAFKA_SECRET = Pattern.compile("^kafka\\..*(password|secret|passphrase|jaas\\.config|keystore\\.key|private\\.key|user\\.info)");
    /** A secret option inside a JAAS line: password="...", clientSecret="...", token=... */
    private static final Pattern JAAS_OPTION = option("password|secret|token");
    /** What looks like a password given in free text (password=..., client_secret: ...), where "token" is too common a word. */
    private static final Pattern TEXT_OPTION = option("password|secret");
    /** Shorter values are not taken out of free text: they would blank ordinary words. */
    private static final int SHORTEST_REDACTED = 4;

    private static final Set<String> remembered = new ConcurrentSkipListSet<>(Comparator.comparingInt(String::length).reversed()
            .thenComparing(Comparator.naturalOrder()));

    private Secrets() {}

    public static boolean isSecret(String key) {
        return KEYS.contains(key) || KAFKA_SECRET.matcher(key.toLowerCase(Locale.ROOT)).find();
    }

    /** A setting's value as it may be printed: JAAS lines keep their module and user name but not their passwords; other secrets are hidden whole. */
    public static String printable(String key, String value) {
        if (!isSecret(key) || value.isEmpty()) {
            return value;
        }
        return key.endsWith("jaas.config") ? hide(JAAS_OPTION, value) : HIDDEN;
    }

    /** Remembers the secret values of a configuration, so that {@link #redact} takes them out of any text. */
    static void remember(Map<String, String> settings) {
        settings.forEach((k, v) -> {
            if (isSecret(k) && v != null) {
                secretValues(k, v).stream().filter(s -> s.length() >= SHORTEST_REDACTED).forEach(remembered::add);
            }
        });
    }

    /** The text with every remembered secret value, and every password option of a JAAS line, hidden. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : remembered) {
            if (out.contains(secret)) {
                out = out.replace(secret, HIDDEN);
            }
        }
        return out.contains("=") ? hide(TEXT_OPTION, out) : out;
    }

    private static Pattern option(String names) {
        return Pattern.compile("(?i)(\\b\\w*(?:" + names + ")\\w*\\s*=\\s*)(\"[^\"]*\"|[^\\s;,\"]+)");
    }

    /** A JAAS line's secret is its password options' values; any other secret is its whole value. */
    private static List<String> secretValues(String key, String value) {
        if (!key.endsWith("jaas.config")) {
            return List.of(value);
        }
        Matcher m = JAAS_OPTION.matcher(value);
        List<String> values = new ArrayList<>();
        while (m.find()) {
            values.add(m.group(2).replace("\"", ""));
        }
        return values;
    }

    private static String hide(Pattern option, String text) {
        return option.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "\"" + HIDDEN + "\""));
    }
}

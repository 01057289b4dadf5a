package io.spotlight.config;

import java.util.Locale;

/** One configuration key, its default and what it does: the source of the README's table. */
public record Setting(String key, String defaultValue, String description) {

    /** The environment variable that overrides the key: SPOTLIGHT_ + upper case, '.' and '-' as '_'. */
    public String environmentVariable() {
        return "SPOTLIGHT_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}

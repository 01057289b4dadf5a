package io.spotlight.app;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.spotlight.config.Secrets;

/** The log pattern's %msg with the configuration's secrets hidden (see {@link Secrets#redact}). */
public final class RedactedMessage extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return Secrets.redact(super.convert(event));
    }
}

package io.spotlight.app;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import io.spotlight.config.Secrets;

/** A logged exception (messages and causes) with the configuration's secrets hidden (see {@link Secrets#redact}). */
public final class RedactedThrowable extends ThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
        return Secrets.redact(super.throwableProxyToString(proxy));
    }
}

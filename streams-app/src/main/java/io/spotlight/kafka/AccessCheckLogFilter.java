package io.spotlight.kafka;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps the Kafka client's own log lines about the access check's failure off the terminal:
 * {@link KafkaClients#checkAccess} says what failed in one sentence, and three lines saying it
 * again would bury it. Every other client's lines pass.
 */
public final class AccessCheckLogFilter extends Filter<ILoggingEvent> {

    private static final String MARK = "clientId=" + KafkaClients.ACCESS_CHECK + "]";

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return event.getFormattedMessage() != null && event.getFormattedMessage().contains(MARK) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}

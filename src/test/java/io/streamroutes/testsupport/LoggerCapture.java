package io.streamroutes.testsupport;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * What one Logback logger logs at {@code level} and above while open, whatever the configured level (e.g. Micrometer's
 * registry, which warns once and then says the same at DEBUG).
 */
public final class LoggerCapture implements AutoCloseable {

    private final Logger logger;
    private final Level configured;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LoggerCapture(String loggerName, Level level) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        configured = logger.getLevel();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(level);
    }

    /** The messages logged so far that contain {@code fragment}. */
    public List<String> messages(String fragment) {
        synchronized (appender) { // the appender appends under its own lock
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(fragment)).toList();
        }
    }

    @Override
    public void close() {
        logger.setLevel(configured);
        logger.detachAppender(appender);
        appender.stop();
    }
}

package io.streamroutes.component.redisstreams.consumer;

import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.support.LoggingExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands an error of the consumer itself (not of an exchange) to the consumer's ExceptionHandler: with
 * {@code bridgeErrorHandler=true} the route's error handler, or an {@code exceptionHandler} the user set. Camel's
 * default handler would only log again, with a stack trace, what the reader has just logged in one line.
 */
public final class ConsumerErrorReporter implements BiConsumer<String, Exception> {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerErrorReporter.class);

    private final Supplier<ExceptionHandler> exceptionHandler;
    private final String label;

    /** @param exceptionHandler the consumer's current ExceptionHandler */
    public ConsumerErrorReporter(Supplier<ExceptionHandler> exceptionHandler, String label) {
        this.exceptionHandler = exceptionHandler;
        this.label = label;
    }

    @Override
    public void accept(String message, Exception e) {
        ExceptionHandler handler = exceptionHandler.get();
        if (handler == null || handler instanceof LoggingExceptionHandler) {
            return;
        }
        try {
            handler.handleException(message, e);
        } catch (RuntimeException handlerFailure) {
            LOG.warn("{}: the exception handler failed: {}", label, handlerFailure.toString());
        }
    }
}

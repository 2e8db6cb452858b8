package io.streamroutes.component.redisstreams;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;

/** A consumer's {@code exceptionHandler=#bean} that keeps what it was handed: messages and exceptions, in order. */
final class RecordingExceptionHandler implements ExceptionHandler {

    final List<String> messages = new CopyOnWriteArrayList<>();
    final List<Throwable> exceptions = new CopyOnWriteArrayList<>();

    @Override
    public void handleException(Throwable exception) {
        handleException(String.valueOf(exception), exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        messages.add(message);
        exceptions.add(exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        handleException(message, exception);
    }
}

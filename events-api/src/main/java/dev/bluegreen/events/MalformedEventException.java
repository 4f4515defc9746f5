package dev.bluegreen.events;

import org.apache.kafka.common.errors.SerializationException;

/** Bytes that are not a readable envelope. A Kafka {@link SerializationException}, so error handlers see it as one. */
public class MalformedEventException extends SerializationException {

    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}

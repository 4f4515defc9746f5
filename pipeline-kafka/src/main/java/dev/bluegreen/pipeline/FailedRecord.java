package dev.bluegreen.pipeline;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;

/**
 * How a log line names a record that a listener could not handle, and why: in words and coordinates, never with the
 * record's bytes, which may be anything.
 */
final class FailedRecord {

    private static final int MAX_REASON_CHARS = 200;

    private FailedRecord() {
    }

    /** As in {@code bluegreen.lifecycle-0@42 (app shop, deployment d-7f3a)}. */
    static String describe(ConsumerRecord<?, ?> record) {
        String deploymentId = DeploymentIdHeader.read(record);
        return record.topic() + "-" + record.partition() + "@" + record.offset() + " (app "
                + key(record.key()) + ", deployment "
                + (deploymentId == null ? "unknown" : deploymentId) + ")";
    }

    /** Kafka Streams hands a record that failed to read over as bytes: its key is still the app's name. */
    private static String key(@Nullable Object key) {
        if (key == null) {
            return "unknown";
        }
        return key instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : key.toString();
    }

    /** Several groups read one topic, and each handles its own copy of a record, so a log line names the group. */
    static String group(@Nullable Consumer<?, ?> consumer) {
        try {
            return consumer == null ? "a consumer" : "consumer group " + consumer.groupMetadata().groupId();
        }
        catch (RuntimeException ex) {
            return "a consumer without a group";
        }
    }

    /** The cause in one short line: never the record's bytes, which a deserialization exception would carry. */
    static String reason(@Nullable Exception ex) {
        Throwable cause = ex;
        while (cause != null && (cause instanceof ListenerExecutionFailedException
                || cause instanceof DeserializationException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause == null) {
            return "no reason given";
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        message = message.lines().findFirst().orElse("");
        return message.length() > MAX_REASON_CHARS ? message.substring(0, MAX_REASON_CHARS) + "..." : message;
    }
}

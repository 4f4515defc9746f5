package dev.bluegreen.pipeline;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;

import dev.bluegreen.events.Envelope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Sends a record that a listener could not handle, after its retries, to its topic's dead-letter topic
 * ({@code <topic>.DLT}), then logs it and counts it in {@code bluegreen.dead.letters{topic}}. A record that did not
 * deserialize goes there with its original bytes. Partitions are chosen by key, so a dead-letter topic needs no more
 * partitions than one.
 */
final class DeadLetters implements ConsumerAwareRecordRecoverer {

    static final String COUNTER = "bluegreen.dead.letters";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final int MAX_REASON_CHARS = 200;

    private final DeadLetterPublishingRecoverer publisher;
    private final MeterRegistry meters;

    DeadLetters(KafkaOperations<?, ?> deadLetterTemplate, MeterRegistry meters) {
        this.publisher = new DeadLetterPublishingRecoverer(deadLetterTemplate,
                (record, ex) -> new TopicPartition(record.topic() + PipelineTopics.DEAD_LETTER_SUFFIX, -1));
        this.meters = meters;
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, @Nullable Consumer<?, ?> consumer, @Nullable Exception ex) {
        publisher.accept(record, consumer, ex);
        counter(record.topic()).increment();
        log.warn("Record {}-{}@{} (app {}, deployment {}) could not be handled by {} and went to {}{}: {}",
                record.topic(), record.partition(), record.offset(), record.key() == null ? "unknown" : record.key(),
                deploymentId(record), group(consumer), record.topic(), PipelineTopics.DEAD_LETTER_SUFFIX, reason(ex));
    }

    Counter counter(String topic) {
        return Counter.builder(COUNTER).description("Records that went to a dead-letter topic, by original topic")
                .tag("topic", topic).register(meters);
    }

    private static String deploymentId(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(DeploymentIdHeader.NAME);
        if (header != null && header.value() != null) {
            return new String(header.value(), StandardCharsets.UTF_8);
        }
        return record.value() instanceof Envelope envelope ? envelope.deploymentId() : "unknown";
    }

    /** Several groups read one topic: each dead-letters the records it cannot handle, so the log names it. */
    private static String group(@Nullable Consumer<?, ?> consumer) {
        try {
            return consumer == null ? "a consumer" : "consumer group " + consumer.groupMetadata().groupId();
        }
        catch (RuntimeException ex) {
            return "a consumer without a group";
        }
    }

    /** The cause in one short line: never the record's bytes, which a deserialization exception would carry. */
    private static String reason(@Nullable Exception ex) {
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

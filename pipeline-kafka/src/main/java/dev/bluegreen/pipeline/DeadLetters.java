package dev.bluegreen.pipeline;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

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
        log.warn("Record {} could not be handled by {} and went to {}{}: {}", FailedRecord.describe(record),
                FailedRecord.group(consumer), record.topic(), PipelineTopics.DEAD_LETTER_SUFFIX,
                FailedRecord.reason(ex));
    }

    Counter counter(String topic) {
        return Counter.builder(COUNTER).description("Records that went to a dead-letter topic, by original topic")
                .tag("topic", topic).register(meters);
    }
}

package dev.bluegreen.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;

import dev.bluegreen.events.Envelope;

/**
 * Adds the header {@value #NAME} to every record whose value is an envelope, so a consumer, a dead-letter topic or a
 * person with {@code kafka-console-consumer --property print.headers=true} sees which deployment it belongs to
 * without reading the value.
 */
final class DeploymentIdHeader implements ProducerInterceptor<Object, Object> {

    static final String NAME = "bluegreen-deployment-id";

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        if (record.value() instanceof Envelope envelope && record.headers().lastHeader(NAME) == null) {
            record.headers().add(NAME, envelope.deploymentId().getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    /** The record's deployment id: from this header, or from the envelope of a record published without it. */
    static @Nullable String read(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(NAME);
        if (header != null && header.value() != null) {
            return new String(header.value(), StandardCharsets.UTF_8);
        }
        return record.value() instanceof Envelope envelope ? envelope.deploymentId() : null;
    }

    @Override
    public void onAcknowledgement(@Nullable RecordMetadata metadata, @Nullable Exception exception) {
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}

package dev.bluegreen.pipeline;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvelopeSerializer;

/**
 * Writes a dead-lettered record's key and value as they came: the original bytes of a record that did not
 * deserialize, or the envelope of one a listener failed on.
 */
final class DeadLetterSerializer implements Serializer<Object> {

    private final EnvelopeSerializer envelopes = new EnvelopeSerializer();

    @Override
    public byte[] serialize(String topic, Object data) {
        if (data == null) {
            return null;
        }
        if (data instanceof byte[] bytes) {
            return bytes;
        }
        if (data instanceof Envelope envelope) {
            return envelopes.serialize(topic, envelope);
        }
        if (data instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        throw new SerializationException("A dead letter holds bytes, text or an envelope, not a "
                + data.getClass().getName());
    }
}

package dev.bluegreen.events;

import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for {@link Envelope}. Throws {@link MalformedEventException} on bytes it cannot read; wrap it
 * in an error-handling deserializer so such a record goes to a dead-letter topic instead of stopping the consumer.
 */
public class EnvelopeDeserializer implements Deserializer<Envelope> {

    private final EnvelopeCodec codec = new EnvelopeCodec();

    @Override
    public Envelope deserialize(String topic, byte[] data) {
        return data == null ? null : codec.read(data);
    }
}

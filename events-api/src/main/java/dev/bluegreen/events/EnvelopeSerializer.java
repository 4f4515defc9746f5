package dev.bluegreen.events;

import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer for {@link Envelope}; the value of every pipeline record. */
public class EnvelopeSerializer implements Serializer<Envelope> {

    private final EnvelopeCodec codec = new EnvelopeCodec();

    @Override
    public byte[] serialize(String topic, Envelope envelope) {
        return envelope == null ? null : codec.write(envelope);
    }
}

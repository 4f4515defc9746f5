package dev.bluegreen.pipeline.lifecycle;

import org.apache.kafka.common.serialization.Deserializer;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvelopeDeserializer;
import dev.bluegreen.events.MalformedEventException;

/**
 * Reads the lifecycle topic's records as envelopes, and refuses one larger than any lifecycle event the pipeline
 * writes, which then goes to the dead-letter topic as unreadable records do. Folded, its values (a ref of 600 KB, say)
 * would grow the app's state past the largest record Kafka takes, so the state could not be stored: the stream would
 * stop at that record, and start again at it, for every service, for good.
 */
final class BoundedEnvelopeDeserializer implements Deserializer<Envelope> {

    /** Many times the largest event the services write (a failure with the end of a step's output, about 5 KB). */
    static final int LARGEST = 64 * 1024;

    private final EnvelopeDeserializer envelopes = new EnvelopeDeserializer();

    @Override
    public Envelope deserialize(String topic, byte[] data) {
        if (data != null && data.length > LARGEST) {
            throw new MalformedEventException("A record of " + data.length + " bytes is larger than any lifecycle "
                    + "event (at most " + LARGEST + " bytes)");
        }
        return envelopes.deserialize(topic, data);
    }
}

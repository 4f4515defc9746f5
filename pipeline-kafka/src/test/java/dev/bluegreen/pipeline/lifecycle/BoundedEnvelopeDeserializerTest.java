package dev.bluegreen.pipeline.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.Test;

import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvelopeCodec;
import dev.bluegreen.events.MalformedEventException;
import dev.bluegreen.events.Topics;

class BoundedEnvelopeDeserializerTest {

    private final BoundedEnvelopeDeserializer deserializer = new BoundedEnvelopeDeserializer();

    @Test
    void aRecordLargerThanAnyLifecycleEventIsUnreadableAndSoADeadLetter() {
        byte[] oversize = new EnvelopeCodec().write(Envelope.of("test", "d-1", new DeployRequested("shop",
                "v".repeat(BoundedEnvelopeDeserializer.LARGEST), null, "mallory")));

        assertThatExceptionOfType(MalformedEventException.class)
                .isThrownBy(() -> deserializer.deserialize(Topics.LIFECYCLE, oversize))
                .withMessage("A record of " + oversize.length + " bytes is larger than any lifecycle event (at most "
                        + "65536 bytes)");
    }

    @Test
    void aRecordOfAnEventsSizeReadsAsAnEnvelope() {
        Envelope request = Envelope.of("test", "d-1", new DeployRequested("shop", "v2", null, "ci"));

        assertThat(deserializer.deserialize(Topics.LIFECYCLE, new EnvelopeCodec().write(request))).isEqualTo(request);
    }
}

package dev.bluegreen.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StoredSamplesTest {

    private final EnvelopeCodec codec = new EnvelopeCodec();

    static Stream<EventType> eventTypes() {
        return Arrays.stream(EventType.values());
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void everyPublishedVersionOfEveryEventStillReadsFromItsStoredSample(EventType type) throws IOException {
        Envelope envelope = codec.read(sample(type));

        assertThat(envelope.type()).isEqualTo(type.wireName());
        assertThat(envelope.data()).isInstanceOf(type.eventClass());
        assertThat(envelope.subject()).isEqualTo(envelope.data().app());
        assertThat(envelope.topic()).isEqualTo(type.topic());
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void aSampleWrittenAgainReadsAsTheSameEnvelope(EventType type) throws IOException {
        Envelope envelope = codec.read(sample(type));

        assertThat(codec.read(codec.write(envelope))).isEqualTo(envelope);
    }

    private byte[] sample(EventType type) throws IOException {
        String path = "/samples/v" + type.version() + "/" + type.wireName() + ".json";
        try (InputStream in = getClass().getResourceAsStream(path)) {
            assertThat(in).as("stored sample %s", path).isNotNull();
            return in.readAllBytes();
        }
    }
}

package dev.bluegreen.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

    private final EnvelopeCodec codec = new EnvelopeCodec();

    @Test
    void anEnvelopeTakesItsTypeSubjectAndTopicFromTheEvent() {
        Envelope envelope = Envelope.of("traffic-router", "d-1",
                new TrafficSwitched("shop", Colour.BLUE, Colour.GREEN, List.of(1L, 2L), 1200));

        assertThat(envelope.type()).isEqualTo("TrafficSwitched");
        assertThat(envelope.subject()).isEqualTo("shop");
        assertThat(envelope.topic()).isEqualTo(Topics.LIFECYCLE);
    }

    @Test
    void writesColoursAndTimesAsPlainStrings() {
        Envelope envelope = Envelope.of("traffic-router", "d-1",
                new SwitchFailed("shop", Colour.BLUE, Colour.GREEN, "busy"), Instant.parse("2026-11-27T09:00:00Z"));

        assertThat(codec.writeString(envelope))
                .contains("\"from\":\"blue\"", "\"to\":\"green\"", "\"time\":\"2026-11-27T09:00:00Z\"")
                .doesNotContain("dev.bluegreen");
    }

    @Test
    void ignoresFieldsAddedByANewerMinorVersion() {
        String json = """
                {"id":"1","type":"RollbackRequested","version":1,"time":"2026-11-27T09:00:00Z","source":"gateway",
                 "subject":"shop","deploymentId":"r-1","extra":true,
                 "data":{"app":"shop","requestedBy":"bob","reason":"slow","ticket":"OPS-1"}}""";

        assertThat(codec.read(json).data()).isEqualTo(new RollbackRequested("shop", "bob", "slow"));
    }

    @Test
    void refusesBytesThatAreNotJsonWithAClearMessage() {
        assertThatThrownBy(() -> codec.read(new byte[] {0x00, 0x7f, 0x13}))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageStartingWith("Not JSON");
    }

    @Test
    void refusesAnEnvelopeThatGivesAKeyTwice() {
        String json = codec.writeString(Envelope.of("test", "d-1", new DeployRequested("shop", "v2", null, "ci")));
        assertThat(codec.read(json).data()).isInstanceOf(DeployRequested.class);

        assertThatThrownBy(() -> codec.read(json.replace("\"ref\":\"v2\"", "\"ref\":\"v2\",\"ref\":\"v1\"")))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("Duplicate");
    }

    @Test
    void refusesAnUnknownEventTypeByName() {
        assertThatThrownBy(() -> codec.read("""
                {"id":"1","type":"DropletsMelted","version":1,"time":"2026-11-27T09:00:00Z","source":"x",
                 "subject":"shop","deploymentId":"d","data":{}}"""))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("Unknown event type 'DropletsMelted'");
    }

    @Test
    void refusesAnEnvelopeWithoutADeploymentId() {
        assertThatThrownBy(() -> codec.read("""
                {"id":"1","type":"RollbackRequested","version":1,"time":"2026-11-27T09:00:00Z","source":"gateway",
                 "subject":"shop","data":{"app":"shop","requestedBy":"bob","reason":"slow"}}"""))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("deploymentId");
    }
}

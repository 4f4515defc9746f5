package dev.bluegreen.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.TrafficSwitched;

class EventLineTest {

    private static final Instant NOON = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void aSwitchReadsAsOneLineNamingTheAppTheColoursAndTheDeployment() {
        String line = new EventLine(false).format(Envelope.of("traffic-router", "5e1f0c2a-deploy",
                new TrafficSwitched("shop", Colour.BLUE, Colour.GREEN, List.of(1L, 2L), 1250), NOON));

        assertThat(line).doesNotContain("\n").contains("shop", "TrafficSwitched", "traffic moved blue -> green in 1.3 s",
                "[5e1f0c2a]");
    }

    @Test
    void aFailureSaysWhyAndIsPaintedRedOnATerminal() {
        Envelope failed = Envelope.of("deploy-agent", "d-1", new ProvisioningFailed("shop", Colour.GREEN, "v9",
                "Step 'fetch' failed on droplet 7 with exit code 128.", 7L, "fetch", 128, ""), NOON);

        assertThat(new EventLine(false).format(failed)).contains("green not provisioned: Step 'fetch' failed")
                .doesNotContain("\u001b[");
        assertThat(new EventLine(true).format(failed)).contains("\u001b[31m");
    }

    @Test
    void typesLineUpInAColumnWithAndWithoutColour() {
        Envelope shortType = Envelope.of("traffic-router", "d-1",
                new TrafficSwitched("shop", Colour.BLUE, Colour.GREEN, List.of(1L), 10), NOON);
        Envelope longType = Envelope.of("deploy-agent", "d-1", new ProvisioningFailed("shop", Colour.GREEN, "v9",
                "boom", null, null, null, null), NOON);

        for (boolean ansi : new boolean[] {false, true}) {
            EventLine lines = new EventLine(ansi);
            assertThat(visible(lines.format(shortType)).indexOf("traffic moved"))
                    .as("column of the description, ansi=%s", ansi)
                    .isEqualTo(visible(lines.format(longType)).indexOf("green not provisioned"));
        }
    }

    private static String visible(String line) {
        return line.replaceAll("\u001b\\[[0-9;]*m", "");
    }
}

package dev.bluegreen.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.Phase;

class CodecAndDeadlinesTest {

    private final Deadlines deadlines = new Deadlines(Duration.ofMinutes(20), Duration.ofMinutes(3),
            Duration.ofHours(1));

    @Test
    void aStateWrittenAndReadBackIsTheSameState() {
        AppState state = new History().deployedLive("d1", "v1").then("d2", History.deploy("v2"))
                .then("d2", History.started(Colour.BLUE)).state();
        AppStateCodec codec = new AppStateCodec();

        assertThat(codec.read(codec.write(state))).isEqualTo(state);
        assertThat(codec.writeString(state)).contains("\"live\":\"green\"", "\"phase\":\"provisioning\"");
    }

    @Test
    void aDeploymentExpiresWhenItsPhaseOutlastsItsDeadlineAndNotBefore() {
        AppState provisioning = new History().then("d1", History.deploy("v1")).state();
        Instant since = provisioning.current().phaseSince();

        assertThat(deadlines.expiry(provisioning, since.plus(Duration.ofMinutes(19)), Duration.ZERO)).isEmpty();
        assertThat(deadlines.expiry(provisioning, since.plus(Duration.ofMinutes(20)), Duration.ZERO))
                .hasValueSatisfying(expired -> {
                    assertThat(expired.phase()).isEqualTo(Phase.PROVISIONING);
                    assertThat(expired.reason()).contains("d1", "20 min", "blue keeps serving");
                });
        assertThat(deadlines.expiry(provisioning, since.plus(Duration.ofMinutes(20)), Duration.ofSeconds(30)))
                .as("another service waits out the grace").isEmpty();
    }

    @Test
    void aMoveOfTrafficNeverExpiresHowEverLongItTakes() {
        AppState switching = new History().then("d1", History.deploy("v1"))
                .then("d1", History.provisioned(Colour.GREEN, "v1")).then("d1", History.healthy(Colour.GREEN, "v1"))
                .state();

        assertThat(switching.phase()).isEqualTo(Phase.SWITCHING);
        assertThat(deadlines.expiry(switching, Instant.MAX, Duration.ZERO)).isEmpty();
    }

    @Test
    void eachPhaseCountsFromWhenItWasEntered() {
        History history = new History().then("d1", History.deploy("v1"));
        AppState checking = history.then("d1", History.provisioned(Colour.GREEN, "v1")).state();

        assertThat(deadlines.deadlineOf(checking.current()))
                .hasValue(checking.current().phaseSince().plus(Duration.ofMinutes(3)));
    }
}

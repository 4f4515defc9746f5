package dev.bluegreen.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.bluegreen.events.Colour;

/**
 * A move that could not take a colour out again leaves both colours serving. Until the traffic-router has taken it
 * out and says so, no deployment may go to it.
 */
class BothColoursServingTest {

    private final History history = new History().deployedLive("d1", "v1").then("d2", History.deploy("v2"))
            .then("d2", History.provisioned(Colour.BLUE, "v2")).then("d2", History.healthy(Colour.BLUE, "v2"))
            .then("d2", History.bothServing(Colour.GREEN)).then("d2", History.switchFailed(Colour.GREEN, Colour.BLUE));

    @Test
    void aDeployIsRefusedWhileBothColoursServe() {
        Transition deploy = history.apply("d3", History.deploy("v3"));

        assertThat(deploy.decision().refused()).isTrue();
        assertThat(deploy.decision().reason()).contains("both colours", "blue");
        assertThat(deploy.after().provisioningColour()).isNull();
    }

    @Test
    void onceTheRouterSaysOnlyTheLiveColourServesTheOtherMayBeDeployedToAgain() {
        history.then("settle", History.drift(Colour.GREEN, Colour.GREEN));

        assertThat(history.state().colour(Colour.BLUE).status()).isEqualTo(ColourStatus.TOUCHED);
        Transition deploy = history.apply("d3", History.deploy("v3"));
        assertThat(deploy.decision().accepted()).isTrue();
        assertThat(deploy.after().provisioningColour()).isEqualTo(Colour.BLUE);
    }

    @Test
    void aRollbackToAColourThatServesHalfTheTrafficIsRefused() {
        assertThat(history.apply("r1", History.rollback()).decision().refused()).isTrue();
    }
}

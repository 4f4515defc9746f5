package dev.bluegreen.router.routing;

import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DriftDetected;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.lifecycle.ColourStatus;
import dev.bluegreen.lifecycle.Transition;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.SimulatorSettings;

/**
 * A DigitalOcean whose load balancers stay busy for ten minutes after a change, as real ones are for a while:
 * the add goes through and the remove right after it is refused.
 */
class BusyBalancerTest {

    private static final DigitalOceanSimulator simulator =
            new DigitalOceanSimulator(SimulatorSettings.DEFAULTS.withBusyWindow(Duration.ofMinutes(10)));
    private static final TestApp busy = TestApp.create(simulator, "busy", Colour.BLUE);

    private static TrafficRouterRun router;

    @BeforeAll
    static void startRouter() {
        router = TrafficRouterRun.start(simulator, List.of("--bluegreen.digitalocean.retry.first-backoff=100ms",
                "--bluegreen.digitalocean.retry.max-backoff=500ms"), busy);
    }

    @AfterAll
    static void stopRouter() {
        router.close();
    }

    @Test
    void aRemoveStillRefusedAfterEveryRetrySaysBothColoursServeAndNoDeploymentMayGoToEither() {
        String deploymentId = router.deployUntilHealthy(busy, Colour.GREEN);

        SwitchFailed failed = router.awaitAnswer(SwitchFailed.class, deploymentId).dataAs(SwitchFailed.class);

        assertThat(failed.reason())
                .startsWith("Added the green droplets " + joined(busy.green()) + " to load balancer "
                        + busy.loadBalancerId() + " but could not remove the blue droplets " + joined(busy.blue())
                        + ": DigitalOcean answered 403 forbidden: Load Balancer can't be updated while it processes "
                        + "previous actions")
                .contains("(gave up after 5 attempts)")
                .endsWith("The balancer still has healthy droplets: green and blue both take busy's traffic.");
        assertThat(simulator.dropletIdsOf(busy.loadBalancerId()))
                .containsExactlyInAnyOrderElementsOf(busy.allDroplets());
        assertThat(router.answers(deploymentId)).hasSize(2).first().isInstanceOfSatisfying(DriftDetected.class,
                drift -> assertThat(drift.servingColours()).containsExactlyInAnyOrder(Colour.BLUE, Colour.GREEN));

        // while both colours serve, the history refuses every deployment
        AppState state = AppState.initial(busy.name(), Colour.BLUE);
        for (Envelope event : router.events().events()) {
            if (event.subject().equals(busy.name())) {
                state = state.apply(event).after();
            }
        }
        Transition next = state.apply(Envelope.of("test", "next", new DeployRequested(busy.name(), "main", null,
                "alice")));
        assertThat(state.colour(Colour.GREEN).status()).isEqualTo(ColourStatus.LIVE);
        assertThat(next.decision().refused()).isTrue();
        assertThat(next.decision().reason()).contains("both colours");
    }

    private static String joined(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}

package dev.bluegreen.router.routing;

import static dev.bluegreen.events.Colour.BLUE;
import static dev.bluegreen.events.Colour.GREEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.RecordingProxy.Call;

/** An instance of the router that lets an app go in the middle of its switch, and the one that takes it over. */
class TakeOverTest {

    private static final DigitalOceanSimulator simulator = new DigitalOceanSimulator();
    private static final TestApp handover = TestApp.create(simulator, "handover", BLUE)
            .withRouting("{drain-period: 1s, settle-timeout: 2m}");

    private static TrafficRouterRun router;

    @BeforeAll
    static void startRouter() {
        router = TrafficRouterRun.start(simulator, TrafficRouterRun.API_TOKEN, handover);
    }

    @AfterAll
    static void stopRouter() {
        router.close();
    }

    @Test
    void aSwitchingAppTakenOverWithBothColoursAttachedHasItsSwitchFinishedByTheNewOwner() {
        router.healthChecks().fail(handover.green());
        String deploymentId = router.deployUntilHealthy(handover, GREEN);
        await().until(() -> Set.copyOf(simulator.dropletIdsOf(handover.loadBalancerId()))
                .equals(Set.copyOf(handover.allDroplets())));

        router.stopRouter();
        int callsWhenReleased = router.proxy().callsAbout(handover.loadBalancerId()).size();
        router.healthChecks().pass(handover.green());
        router.startRouterAgain();

        TrafficSwitched switched = router.awaitAnswer(TrafficSwitched.class, deploymentId)
                .dataAs(TrafficSwitched.class);
        assertThat(switched.from()).isEqualTo(BLUE);
        assertThat(switched.to()).isEqualTo(GREEN);
        assertThat(simulator.dropletIdsOf(handover.loadBalancerId()))
                .containsExactlyInAnyOrderElementsOf(handover.green());
        List<Call> calls = router.proxy().callsAbout(handover.loadBalancerId());
        assertThat(calls.subList(0, callsWhenReleased)).extracting(Call::method).containsExactly("GET", "POST");
        // the new owner reads the balancer again, adds nothing and takes the old colour out
        assertThat(calls.subList(callsWhenReleased, calls.size())).extracting(Call::method)
                .containsExactly("GET", "DELETE");
        assertThat(router.answers(deploymentId)).hasExactlyElementsOfTypes(TrafficSwitched.class);
    }
}

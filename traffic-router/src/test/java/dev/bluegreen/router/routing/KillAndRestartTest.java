package dev.bluegreen.router.routing;

import static dev.bluegreen.events.Colour.BLUE;
import static dev.bluegreen.events.Colour.GREEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.RecordingProxy.Call;

/** The router killed (SIGKILL) in the middle of a switch, and another one started. */
class KillAndRestartTest {

    private static final DigitalOceanSimulator simulator = new DigitalOceanSimulator();
    private static final TestApp halted = TestApp.create(simulator, "halted", BLUE)
            .withRouting("{drain-period: 0s, settle-timeout: 2m}");

    private static TrafficRouterRun run;

    @BeforeAll
    static void startEverythingButTheRouter() {
        run = TrafficRouterRun.withoutRouter(simulator, List.of(), halted);
    }

    @AfterAll
    static void stopEverything() {
        run.close();
    }

    @Test
    void aRouterKilledMidSwitchHasItsSwitchFinishedByTheNextOwnerWithoutEverLeavingTheBalancerUnserved()
            throws Exception {
        run.healthChecks().fail(halted.green());
        Process killed = run.startRouterProcess(Path.of("target", "kill-and-restart-router.log"),
                // its apps go to the next router soon after the kill
                "--bluegreen.lifecycle.session-timeout=6s");
        String deploymentId;
        try {
            deploymentId = run.deployUntilHealthy(halted, GREEN);
            await().atMost(Duration.ofSeconds(90)).until(() -> Set.copyOf(simulator.dropletIdsOf(
                    halted.loadBalancerId())).equals(Set.copyOf(halted.allDroplets())));
        } finally {
            killed.destroyForcibly().waitFor();
        }
        run.healthChecks().pass(halted.green());

        run.startRouterAgain();

        // the app's history says SWITCHING: the next owner finishes the move and answers in the deployment's own id
        TrafficSwitched switched = run.events().awaitEvent(TrafficSwitched.class, deploymentId, Duration.ofSeconds(90))
                .dataAs(TrafficSwitched.class);
        assertThat(switched.from()).isEqualTo(BLUE);
        assertThat(switched.to()).isEqualTo(GREEN);
        assertThat(simulator.dropletIdsOf(halted.loadBalancerId())).containsExactlyInAnyOrderElementsOf(halted.green());
        List<Call> changes = run.proxy().callsAbout(halted.loadBalancerId()).stream()
                .filter(call -> !call.method().equals("GET")).toList();
        assertThat(changes).extracting(Call::method).containsExactly("POST", "DELETE");
        assertThat(changes.get(0).targetsAfter()).containsAll(halted.blue());
        assertThat(run.answers(deploymentId)).hasExactlyElementsOfTypes(TrafficSwitched.class);
    }
}

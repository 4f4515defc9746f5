package dev.bluegreen.router.routing;

import static dev.bluegreen.events.Colour.BLUE;
import static dev.bluegreen.events.Colour.GREEN;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.RecordingProxy.Call;
import dev.bluegreen.sandbox.digitalocean.SimulatorSettings;
import dev.bluegreen.trafficplan.SwitchWords;

/**
 * A DigitalOcean that is busy after each change, rate-limits, fails and drops connections: the switch is retried
 * through it, and when it cannot complete, the old colour keeps serving.
 */
class ResilientSwitchTest {

    /** Longer than the new colour takes to pass its health check, so the remove right after is refused. */
    private static final Duration BUSY = Duration.ofMillis(1500);

    private static final DigitalOceanSimulator simulator =
            new DigitalOceanSimulator(SimulatorSettings.DEFAULTS.withBusyWindow(BUSY));
    private static final TestApp sturdy = TestApp.create(simulator, "sturdy", BLUE);
    private static final TestApp flaky = TestApp.create(simulator, "flaky", BLUE);
    private static final TestApp broken = TestApp.create(simulator, "broken", BLUE);
    private static final TestApp sickly = TestApp.create(simulator, "sickly", BLUE);

    private static TrafficRouterRun router;

    @BeforeAll
    static void startRouter() {
        router = TrafficRouterRun.start(simulator, List.of("--bluegreen.digitalocean.retry.max-attempts=4",
                "--bluegreen.digitalocean.retry.first-backoff=200ms", "--bluegreen.digitalocean.retry.max-backoff=1s"),
                sturdy, flaky, broken, sickly);
    }

    @AfterAll
    static void stopRouter() {
        router.close();
    }

    @Test
    void aBusyBalancersRefusalIsRetriedAndTheSwitchCompletes() {
        String deploymentId = router.deployUntilHealthy(sturdy, GREEN);

        router.awaitAnswer(TrafficSwitched.class, deploymentId);

        assertThat(simulator.dropletIdsOf(sturdy.loadBalancerId())).containsExactlyInAnyOrderElementsOf(sturdy.green());
        assertThat(router.proxy().callsAbout(sturdy.loadBalancerId())).extracting(Call::method, Call::status)
                .contains(org.assertj.core.groups.Tuple.tuple("DELETE", 403))
                .last().isEqualTo(org.assertj.core.groups.Tuple.tuple("DELETE", 204));
    }

    @Test
    void rateLimitsServerErrorsAndDroppedConnectionsAreRetriedAndTheSwitchCompletes() {
        router.proxy().rateLimitNext(1);
        simulator.faults().failNext(1, "POST");
        simulator.faults().dropNext(1, "DELETE");

        String deploymentId = router.deployUntilHealthy(flaky, GREEN);

        router.awaitAnswer(TrafficSwitched.class, deploymentId);
        assertThat(simulator.dropletIdsOf(flaky.loadBalancerId())).containsExactlyInAnyOrderElementsOf(flaky.green());
        assertThat(router.proxy().callsAbout(flaky.loadBalancerId())).extracting(Call::status)
                .contains(429, 500);
        assertThat(router.proxy().callsAbout(flaky.loadBalancerId()))
                .allSatisfy(call -> assertThat(call.targetsAfter()).isNotEmpty());
    }

    @Test
    void anApiThatKeepsFailingEndsInSwitchFailedWithTheOldColourStillServing() {
        simulator.faults().failNext(50, "POST");

        String deploymentId = router.deployUntilHealthy(broken, GREEN);

        SwitchFailed failed = router.awaitAnswer(SwitchFailed.class, deploymentId).dataAs(SwitchFailed.class);
        simulator.faults().clear();
        assertThat(failed.reason())
                .startsWith("Could not add the green droplets " + SwitchWords.joined(broken.green())
                        + " to load balancer " + broken.loadBalancerId() + ": DigitalOcean answered 500")
                .contains("(gave up after 4 attempts)")
                .endsWith("Nothing changed: the blue droplets still take broken's traffic.");
        assertThat(simulator.dropletIdsOf(broken.loadBalancerId())).containsExactlyElementsOf(broken.blue());
    }

    @Test
    void aNewColourThatNeverPassesTheBalancersHealthCheckIsTakenOutAgain() {
        router.healthChecks().fail(sickly.green());

        String deploymentId = router.deployUntilHealthy(sickly, GREEN);

        SwitchFailed failed = router.awaitAnswer(SwitchFailed.class, deploymentId).dataAs(SwitchFailed.class);
        assertThat(failed.reason()).isEqualTo("The green droplets " + SwitchWords.joined(sickly.green())
                + " did not come to serve through load balancer " + sickly.loadBalancerId() + " within 5 s (the "
                + "balancer's health check still fails on droplets " + SwitchWords.joined(sickly.green())
                + "). Took them out again: the blue droplets still take sickly's traffic.");
        assertThat(simulator.dropletIdsOf(sickly.loadBalancerId())).containsExactlyElementsOf(sickly.blue());
        assertThat(router.proxy().callsAbout(sickly.loadBalancerId()))
                .allSatisfy(call -> assertThat(call.targetsAfter()).containsAll(sickly.blue()));
    }
}

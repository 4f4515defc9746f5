package dev.bluegreen.router.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DriftDetected;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.SimulatorSettings;

/**
 * A balancer busy for a few seconds after a change: the switch's remove is refused until the router gives up, which
 * leaves both colours serving. Once the balancer takes changes again, the router takes the new colour out by itself
 * and says that only the old colour serves, so deployments may go to the other colour again.
 */
class BothColoursSettleTest {

    private static final DigitalOceanSimulator simulator =
            new DigitalOceanSimulator(SimulatorSettings.DEFAULTS.withBusyWindow(Duration.ofSeconds(6)));
    private static final TestApp app = TestApp.create(simulator, "settling", Colour.BLUE);

    private static TrafficRouterRun router;

    @BeforeAll
    static void startRouter() {
        router = TrafficRouterRun.start(simulator, List.of("--bluegreen.digitalocean.retry.max-attempts=2",
                "--bluegreen.digitalocean.retry.first-backoff=100ms",
                "--bluegreen.digitalocean.retry.max-backoff=200ms"), app);
    }

    @AfterAll
    static void stopRouter() {
        router.close();
    }

    @Test
    void aBalancerLeftServingBothColoursIsSettledBackToTheLiveColourOnceItTakesChanges() {
        String deploymentId = router.deployUntilHealthy(app, Colour.GREEN);
        router.awaitAnswer(SwitchFailed.class, deploymentId);
        assertThat(simulator.dropletIdsOf(app.loadBalancerId())).containsExactlyInAnyOrderElementsOf(app.allDroplets());

        Envelope settled = await().atMost(Duration.ofSeconds(60)).until(() -> router.events().events().stream()
                .filter(event -> event.subject().equals(app.name()) && event.data() instanceof DriftDetected drift
                        && drift.servingColours().equals(List.of(Colour.BLUE)))
                .findFirst(), found -> found.isPresent()).orElseThrow();

        assertThat(settled.source()).isEqualTo("traffic-router");
        assertThat(simulator.dropletIdsOf(app.loadBalancerId())).containsExactlyInAnyOrderElementsOf(app.blue());
    }
}

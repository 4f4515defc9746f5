package dev.bluegreen.router.routing;

import static dev.bluegreen.events.Colour.BLUE;
import static dev.bluegreen.events.Colour.GREEN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.bluegreen.events.AwaitingPromotion;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DropletHealth;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.PromoteRequested;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.router.digitalocean.RecordingProxy.Call;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;

/** The approval gate, and requests that arrive twice. */
class PromotionAndRedeliveryTest {

    private static final DigitalOceanSimulator simulator = new DigitalOceanSimulator();
    private static final TestApp gated = TestApp.create(simulator, "gated", BLUE)
            .withRouting("{approval-required: true, drain-period: 0s, settle-timeout: 5s}");
    private static final TestApp patient = TestApp.create(simulator, "patient", BLUE)
            .withRouting("{approval-required: true, drain-period: 0s, settle-timeout: 5s}");
    private static final TestApp repeat = TestApp.create(simulator, "repeat", BLUE);

    private static TrafficRouterRun router;

    @BeforeAll
    static void startRouter() {
        router = TrafficRouterRun.start(simulator, TrafficRouterRun.API_TOKEN, gated, patient, repeat);
    }

    @AfterAll
    static void stopRouter() {
        router.close();
    }

    @Test
    void theApprovalGateHoldsTheSwitchUntilItIsPromoted() {
        String deploymentId = router.publish(healthy(gated, GREEN));

        AwaitingPromotion awaiting = router.awaitAnswer(AwaitingPromotion.class, deploymentId)
                .dataAs(AwaitingPromotion.class);

        assertThat(awaiting.from()).isEqualTo(BLUE);
        assertThat(awaiting.to()).isEqualTo(GREEN);
        assertThat(simulator.dropletIdsOf(gated.loadBalancerId())).containsExactlyElementsOf(gated.blue());
        assertThat(router.proxy().callsAbout(gated.loadBalancerId())).extracting(Call::method).containsOnly("GET");

        router.publish(Envelope.of("test", deploymentId, new PromoteRequested("gated", "carol")));

        TrafficSwitched switched = router.awaitAnswer(TrafficSwitched.class, deploymentId)
                .dataAs(TrafficSwitched.class);
        assertThat(switched.to()).isEqualTo(GREEN);
        assertThat(simulator.dropletIdsOf(gated.loadBalancerId())).containsExactlyInAnyOrderElementsOf(gated.green());
    }

    @Test
    void aSwitchWaitingForPromotionStillWaitsAfterARestart() {
        String deploymentId = router.publish(healthy(patient, GREEN));
        router.awaitAnswer(AwaitingPromotion.class, deploymentId);

        router.restartRouter();
        router.publish(Envelope.of("test", deploymentId, new PromoteRequested("patient", "erin")));

        router.awaitAnswer(TrafficSwitched.class, deploymentId);
        assertThat(simulator.dropletIdsOf(patient.loadBalancerId()))
                .containsExactlyInAnyOrderElementsOf(patient.green());
    }

    @Test
    void aPromotionWithNothingWaitingIsRefusedSayingSo() {
        String deploymentId = "gated-never-healthy-" + UUID.randomUUID();
        router.publish(Envelope.of("test", deploymentId, new PromoteRequested("gated", "carol")));

        SwitchFailed failed = router.awaitAnswer(SwitchFailed.class, deploymentId).dataAs(SwitchFailed.class);

        assertThat(failed.reason()).startsWith("Nothing waits for promotion in deployment " + deploymentId + " of gated").endsWith("Nothing changed.");
    }

    @Test
    void aRedeliveredEnvironmentHealthyDoesNotSwitchAgainNotEvenAfterARestart() {
        String deploymentId = "repeat-" + UUID.randomUUID();
        Envelope first = Envelope.of("health-monitor", deploymentId, healthy(repeat, GREEN));
        router.publish(first);
        router.awaitAnswer(TrafficSwitched.class, deploymentId);
        // someone moves the traffic back by hand: a second switch of repeat-1 would be visible
        simulator.attachDroplets(repeat.loadBalancerId(), repeat.blue());
        simulator.detachDroplets(repeat.loadBalancerId(), repeat.green());

        router.publish(first);
        router.publish(Envelope.of("health-monitor", deploymentId, healthy(repeat, GREEN)));
        router.awaitAnswer(TrafficSwitched.class, router.publish(healthy(repeat, BLUE)));

        router.restartRouter();
        router.publish(first);
        router.awaitAnswer(TrafficSwitched.class, router.publish(healthy(repeat, BLUE)));

        assertThat(simulator.dropletIdsOf(repeat.loadBalancerId())).containsExactlyInAnyOrderElementsOf(repeat.blue());
        assertThat(router.events().events()).filteredOn(event -> event.deploymentId().equals(deploymentId))
                .hasSize(1);
    }

    private static EnvironmentHealthy healthy(TestApp app, Colour colour) {
        List<DropletHealth> droplets = app.droplets(colour).stream()
                .map(id -> new DropletHealth(id, true, 3, "200 in 5 ms")).toList();
        return new EnvironmentHealthy(app.name(), colour, "main", "0a1b2c3", droplets, 900);
    }
}

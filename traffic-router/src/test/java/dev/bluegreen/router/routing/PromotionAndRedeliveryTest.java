package dev.bluegreen.router.routing;

import static dev.bluegreen.events.Colour.BLUE;
import static dev.bluegreen.events.Colour.GREEN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.bluegreen.events.AwaitingPromotion;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.PreviewDroplet;
import dev.bluegreen.events.PromoteRequested;
import dev.bluegreen.events.RequestRefused;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.RecordingProxy.Call;

/** The approval gate, and events that arrive twice. */
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
    void anAppThatNeedsApprovalWaitsForPromotionAndSwitchesOnceItIsPromoted() {
        String deploymentId = router.deployUntilHealthy(gated, GREEN);

        AwaitingPromotion awaiting = router.awaitAnswer(AwaitingPromotion.class, deploymentId)
                .dataAs(AwaitingPromotion.class);

        assertThat(awaiting.from()).isEqualTo(BLUE);
        assertThat(awaiting.to()).isEqualTo(GREEN);
        // the preview a CI job tests: the green droplets, as the apps file gives them
        assertThat(awaiting.preview()).extracting(PreviewDroplet::dropletId).containsExactlyElementsOf(gated.green());
        assertThat(awaiting.preview()).extracting(PreviewDroplet::url).containsOnly("http://127.0.0.1:9");
        assertThat(simulator.dropletIdsOf(gated.loadBalancerId())).containsExactlyElementsOf(gated.blue());
        assertThat(router.proxy().callsAbout(gated.loadBalancerId())).isEmpty();

        router.publish(Envelope.of("gateway", deploymentId, new PromoteRequested("gated", "carol")));

        TrafficSwitched switched = router.awaitAnswer(TrafficSwitched.class, deploymentId)
                .dataAs(TrafficSwitched.class);
        assertThat(switched.to()).isEqualTo(GREEN);
        assertThat(simulator.dropletIdsOf(gated.loadBalancerId())).containsExactlyInAnyOrderElementsOf(gated.green());
        assertThat(router.answers(deploymentId)).hasExactlyElementsOfTypes(AwaitingPromotion.class,
                TrafficSwitched.class);
    }

    @Test
    void aSwitchWaitingForPromotionStillWaitsAfterARestart() {
        String deploymentId = router.deployUntilHealthy(patient, GREEN);
        router.awaitAnswer(AwaitingPromotion.class, deploymentId);

        router.restartRouter();
        router.publish(Envelope.of("gateway", deploymentId, new PromoteRequested("patient", "erin")));

        router.awaitAnswer(TrafficSwitched.class, deploymentId);
        assertThat(simulator.dropletIdsOf(patient.loadBalancerId()))
                .containsExactlyInAnyOrderElementsOf(patient.green());
    }

    @Test
    void aPromotionWithNothingWaitingIsRefusedSayingSo() {
        String deploymentId = "gated-never-healthy-" + UUID.randomUUID();
        router.publish(Envelope.of("gateway", deploymentId, new PromoteRequested("gated", "carol")));

        RequestRefused refused = router.awaitAnswer(RequestRefused.class, deploymentId)
                .dataAs(RequestRefused.class);

        assertThat(refused.request()).isEqualTo("PromoteRequested");
        assertThat(refused.reason()).startsWith("Nothing waits for promotion in deployment " + deploymentId
                + " of gated").endsWith("Nothing changed.");
    }

    @Test
    void aRedeliveredEnvironmentHealthyDoesNotSwitchAgainNotEvenAfterARestart() {
        String deploymentId = router.deployUntilHealthy(repeat, GREEN);
        router.awaitAnswer(TrafficSwitched.class, deploymentId);
        Envelope healthyAgain = Envelope.of("health-monitor", deploymentId, TrafficRouterRun.healthy(repeat, GREEN));

        router.publish(healthyAgain);
        router.publish(healthyAgain);
        router.restartRouter();
        router.publish(healthyAgain);
        // once a later deployment is answered, the router has read every event published before it
        router.awaitAnswer(TrafficSwitched.class, router.deployUntilHealthy(repeat, BLUE));

        // any reaction to the repeats would have read the balancer at least
        assertThat(router.proxy().callsAbout(repeat.loadBalancerId())).extracting(Call::method)
                .containsExactly("GET", "POST", "DELETE", "GET", "POST", "DELETE");
        assertThat(router.answers(deploymentId)).hasExactlyElementsOfTypes(TrafficSwitched.class);
    }
}

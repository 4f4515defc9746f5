package dev.bluegreen.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;

/** The traffic-router holding a token DigitalOcean does not accept. */
class RefusedTokenTest {

    private static final String WRONG_TOKEN = "dop_v1_revoked0123456789abcdef0123456789abcdef";

    private static final DigitalOceanSimulator simulator = new DigitalOceanSimulator();
    private static final TestApp locked = TestApp.create(simulator, "locked", Colour.BLUE);

    private static TrafficRouterRun router;

    @BeforeAll
    static void startRouter() {
        router = TrafficRouterRun.start(simulator, WRONG_TOKEN, locked);
    }

    @AfterAll
    static void stopRouter() {
        router.close();
    }

    @Test
    void theTokenNeverAppearsInTheFailureReason() {
        String deploymentId = router.deployUntilHealthy(locked, Colour.GREEN);

        SwitchFailed failed = router.awaitAnswer(SwitchFailed.class, deploymentId).dataAs(SwitchFailed.class);

        assertThat(failed.reason())
                .contains("DigitalOcean answered 401 unauthorized: Unable to authenticate you")
                .doesNotContain(WRONG_TOKEN, TrafficRouterRun.API_TOKEN, "revoked");
        assertThat(simulator.dropletIdsOf(locked.loadBalancerId())).containsExactlyElementsOf(locked.blue());
    }
}

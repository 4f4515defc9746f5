package dev.bluegreen.agent.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeploymentsOnTheirWayTest {

    private final DeploymentsOnTheirWay onTheirWay = new DeploymentsOnTheirWay();

    @Test
    void aProvisionedDeploymentIsOnItsWayUntilThePipelineDecidesOnIt() {
        onTheirWay.provisioned("shop", "d-1");
        assertThat(onTheirWay.of("shop")).contains("d-1");

        onTheirWay.decided("shop", "d-1");
        assertThat(onTheirWay.of("shop")).isEmpty();
    }

    @Test
    void aDecisionReadBeforeItsProvisioningStillEndsIt() {
        onTheirWay.decided("shop", "d-1");
        onTheirWay.provisioned("shop", "d-1");

        assertThat(onTheirWay.of("shop")).isEmpty();
    }

    @Test
    void theDecisionOnAnOlderDeploymentLeavesTheNewerOneOnItsWay() {
        onTheirWay.provisioned("shop", "d-1");
        onTheirWay.provisioned("shop", "d-2");
        onTheirWay.decided("shop", "d-1");

        assertThat(onTheirWay.of("shop")).contains("d-2");
        assertThat(onTheirWay.of("blog")).isEmpty();
    }
}

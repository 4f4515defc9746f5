package dev.bluegreen.sandbox.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.loadbalancer.Rotation.Backend;

class RotationTest {

    private final DigitalOceanSimulator simulator = new DigitalOceanSimulator();
    private final long blue = simulator.addDroplet("blue", URI.create("http://127.0.0.1:8001"), List.of());
    private final long green = simulator.addDroplet("green", URI.create("http://127.0.0.1:8002"), List.of());
    private final String lb = simulator.addLoadBalancer("web", List.of(blue, green));
    private final Rotation rotation = new Rotation(simulator, lb);

    @Test
    void eachRequestStartsWithTheNextHealthyDropletAndFallsBackToTheOthers() {
        passChecks(blue, 3);
        passChecks(green, 3);

        assertThat(ids(rotation.forNextRequest())).containsExactly(blue, green);
        assertThat(ids(rotation.forNextRequest())).containsExactly(green, blue);
        assertThat(ids(rotation.forNextRequest())).containsExactly(blue, green);
    }

    @Test
    void aDropletGetsRequestsOnlyOnceItHasPassedTheHealthyThreshold() {
        assertThat(rotation.forNextRequest()).as("nothing checked yet").isEmpty();

        passChecks(blue, 2);
        assertThat(rotation.forNextRequest()).as("2 of the default 3 passes").isEmpty();

        passChecks(blue, 1);
        assertThat(ids(rotation.forNextRequest())).containsExactly(blue);
    }

    @Test
    void aDropletLeavesTheRotationAfterTheUnhealthyThresholdOfFailuresAndComesBackAfterPasses() {
        passChecks(blue, 3);
        passChecks(green, 3);

        failChecks(blue, 4);
        assertThat(ids(rotation.forNextRequest())).as("4 of the default 5 failures").containsOnly(blue, green);

        failChecks(blue, 1);
        assertThat(ids(rotation.forNextRequest())).containsExactly(green);
        assertThat(ids(rotation.forNextRequest())).containsExactly(green);

        passChecks(blue, 3);
        assertThat(ids(rotation.forNextRequest())).containsOnly(blue, green).hasSize(2);
    }

    @Test
    void aDetachedAndReattachedDropletStartsOverUnhealthy() {
        passChecks(blue, 3);
        simulator.detachDroplets(lb, List.of(blue));
        simulator.attachDroplets(lb, List.of(blue));

        assertThat(rotation.forNextRequest()).isEmpty();
    }

    private void passChecks(long droplet, int times) {
        for (int i = 0; i < times; i++) {
            simulator.recordHealthCheck(lb, droplet, true);
        }
    }

    private void failChecks(long droplet, int times) {
        for (int i = 0; i < times; i++) {
            simulator.recordHealthCheck(lb, droplet, false);
        }
    }

    private static List<Long> ids(List<Backend> backends) {
        return backends.stream().map(Backend::dropletId).toList();
    }
}

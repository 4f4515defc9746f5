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
    private final Rotation rotation = new Rotation(simulator, simulator.addLoadBalancer("web", List.of(blue, green)));

    @Test
    void eachRequestStartsWithTheNextDropletAndFallsBackToTheOthers() {
        assertThat(ids(rotation.forNextRequest())).containsExactly(blue, green);
        assertThat(ids(rotation.forNextRequest())).containsExactly(green, blue);
        assertThat(ids(rotation.forNextRequest())).containsExactly(blue, green);
    }

    @Test
    void aDropletOutOfRotationGetsNoRequestsUntilItIsPutBack() {
        rotation.takeOut(blue);
        assertThat(ids(rotation.forNextRequest())).containsExactly(green);
        assertThat(ids(rotation.forNextRequest())).containsExactly(green);

        rotation.putBack(blue);
        assertThat(ids(rotation.forNextRequest())).containsOnly(blue, green).hasSize(2);
    }

    private static List<Long> ids(List<Backend> backends) {
        return backends.stream().map(Backend::dropletId).toList();
    }
}

package dev.bluegreen.router.routing;

import static dev.bluegreen.events.Colour.BLUE;
import static dev.bluegreen.events.Colour.GREEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.bluegreen.events.DropletHealth;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.router.digitalocean.RecordingProxy.Call;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;

/** The router killed (SIGKILL) in the middle of a switch, and started again. */
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
    void aRouterKilledMidSwitchFinishesTheSwitchOnRestartWithoutEverLeavingTheBalancerUnserved() throws Exception {
        run.healthChecks().fail(halted.green());
        Process killed = run.startRouterProcess(Path.of("target", "kill-and-restart-router.log"),
                // evicted from the consumer group soon after the kill, so the next router need not wait for it
                "--spring.kafka.consumer.properties.session.timeout.ms=6000");
        try {
            run.publish(healthy());
            await().atMost(Duration.ofSeconds(90)).until(() -> Set.copyOf(simulator.dropletIdsOf(
                    halted.loadBalancerId())).equals(Set.copyOf(halted.allDroplets())));
        } finally {
            killed.destroyForcibly().waitFor();
        }
        run.healthChecks().pass(halted.green());

        run.startRouterAgain();

        TrafficSwitched switched = run.awaitRecovery(TrafficSwitched.class, "halted").dataAs(TrafficSwitched.class);
        assertThat(switched.from()).isEqualTo(BLUE);
        assertThat(switched.to()).isEqualTo(GREEN);
        assertThat(simulator.dropletIdsOf(halted.loadBalancerId())).containsExactlyInAnyOrderElementsOf(halted.green());
        List<Call> changes = run.proxy().callsAbout(halted.loadBalancerId()).stream()
                .filter(call -> !call.method().equals("GET")).toList();
        assertThat(changes).extracting(Call::method).containsExactly("POST", "DELETE");
        assertThat(changes.get(0).targetsAfter()).containsAll(halted.blue());
    }

    private static EnvironmentHealthy healthy() {
        return new EnvironmentHealthy("halted", GREEN, "main", "0a1b2c3", Stream.of(halted.green())
                .flatMap(List::stream).map(id -> new DropletHealth(id, true, 3, "200 in 5 ms")).toList(), 900);
    }
}

package dev.bluegreen.router.routing;

import static dev.bluegreen.events.Colour.BLUE;
import static dev.bluegreen.events.Colour.GREEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DropletHealth;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.router.digitalocean.RecordingProxy.Call;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.ReservedIp;

/** The reserved-IP strategy, and the drain period before the old colour counts as idle. */
class RoutingModesTest {

    private static final String IP = "203.0.113.10";

    private static final DigitalOceanSimulator simulator = new DigitalOceanSimulator();
    private static final TestApp reserved = TestApp.create(simulator, "reserved", BLUE)
            .withRouting("{strategy: reserved-ip, reserved-ip: \"" + IP + "\", drain-period: 0s, settle-timeout: 10s}");
    private static final TestApp unreserved = TestApp.create(simulator, "unreserved", BLUE)
            .withRouting("{strategy: reserved-ip, reserved-ip: \"203.0.113.11\", drain-period: 0s}");
    private static final TestApp moved = TestApp.create(simulator, "moved", BLUE)
            .withRouting("{strategy: reserved-ip, reserved-ip: \"203.0.113.12\", drain-period: 0s}");
    private static final TestApp draining = TestApp.create(simulator, "draining", BLUE)
            .withRouting("{drain-period: 2s, settle-timeout: 5s}");

    private static final TestApp hurried = TestApp.create(simulator, "hurried", BLUE)
            .withRouting("{drain-period: 4s, settle-timeout: 5s}");
    private static final TestApp unmonitored = TestApp.create(simulator, "unmonitored", BLUE)
            .withRouting("{drain-period: 0s, settle-timeout: 1s}");

    private static TrafficRouterRun router;

    @BeforeAll
    static void startRouter() {
        simulator.addReservedIp(IP, reserved.blue().get(0));
        simulator.addReservedIp("203.0.113.11", null);
        // moved by a router that died before it published the switch
        simulator.addReservedIp("203.0.113.12", moved.green().get(0));
        router = TrafficRouterRun.start(simulator, TrafficRouterRun.API_TOKEN, reserved, unreserved, moved, draining,
                hurried, unmonitored);
        router.proxy().hideHealthMetricsOf(unmonitored.loadBalancerId());
    }

    @AfterAll
    static void stopRouter() {
        router.close();
    }

    @Test
    void theReservedIpMovesToTheNewColourAndBackOnRollback() {
        TrafficSwitched switched = router.awaitAnswer(TrafficSwitched.class, router.publish(healthy(reserved, GREEN)))
                .dataAs(TrafficSwitched.class);

        assertThat(switched.from()).isEqualTo(BLUE);
        assertThat(switched.dropletIds()).containsExactly(reserved.green().get(0));
        assertThat(simulator.reservedIp(IP)).map(ReservedIp::dropletId).contains(reserved.green().get(0));
        assertThat(router.proxy().calls()).extracting(call -> call.method() + " " + call.path())
                .contains("POST /v2/reserved_ips/" + IP + "/actions")
                .anyMatch(call -> call.startsWith("GET /v2/actions/"));

        RolledBack rolledBack = router.awaitAnswer(RolledBack.class,
                router.publish(new RollbackRequested("reserved", "dave", "500s on checkout"))).dataAs(RolledBack.class);

        assertThat(rolledBack.to()).isEqualTo(BLUE);
        assertThat(simulator.reservedIp(IP)).map(ReservedIp::dropletId).contains(reserved.blue().get(0));
    }

    @Test
    void aReservedIpMovedWithoutARecordedSwitchIsPublishedOnStart() {
        TrafficSwitched recorded = router.awaitRecovery(TrafficSwitched.class, "moved").dataAs(TrafficSwitched.class);

        assertThat(recorded.from()).isEqualTo(BLUE);
        assertThat(recorded.to()).isEqualTo(GREEN);
        assertThat(recorded.dropletIds()).containsExactly(moved.green().get(0));
    }

    @Test
    void aRollbackOfAReservedIpThatPointsNowhereIsRefusedSayingWhy() {
        SwitchFailed failed = router.awaitAnswer(SwitchFailed.class,
                router.publish(new RollbackRequested("unreserved", "dave", "why not"))).dataAs(SwitchFailed.class);

        assertThat(failed.reason()).isEqualTo("Reserved IP 203.0.113.11 of unreserved points at no droplet, so "
                + "there is no colour to roll back from. Nothing changed.");
    }

    @Test
    void theOldColourCountsAsIdleOnlyAfterItsDrainPeriod() {
        String deploymentId = router.publish(healthy(draining, GREEN));
        AtomicReference<Instant> greenOnly = new AtomicReference<>();

        await().pollInterval(Duration.ofMillis(20)).until(() -> {
            boolean onlyGreen = simulator.dropletIdsOf(draining.loadBalancerId()).equals(draining.green());
            if (onlyGreen) {
                greenOnly.set(Instant.now());
            }
            return onlyGreen;
        });
        Envelope switched = router.awaitAnswer(TrafficSwitched.class, deploymentId);

        assertThat(Duration.between(greenOnly.get(), switched.time())).isGreaterThan(Duration.ofMillis(1800));
    }

    @Test
    void aRollbackDuringTheDrainDoesNotWaitForItAndKeepsTheEventsInOrder() {
        String switchId = router.publish(healthy(hurried, GREEN));
        await().until(() -> simulator.dropletIdsOf(hurried.loadBalancerId()).equals(hurried.green()));
        Instant asked = Instant.now();

        String rollbackId = router.publish(new RollbackRequested("hurried", "frank", "wrong banner"));

        Envelope switched = router.awaitAnswer(TrafficSwitched.class, switchId);
        assertThat(Duration.between(asked, switched.time())).isLessThan(Duration.ofSeconds(3));
        router.awaitAnswer(RolledBack.class, rollbackId);
        assertThat(simulator.dropletIdsOf(hurried.loadBalancerId())).containsExactlyInAnyOrderElementsOf(hurried.blue());
        assertThat(router.events().events()).filteredOn(event -> event.subject().equals("hurried"))
                .extracting(Envelope::deploymentId).containsSubsequence(switchId, rollbackId);
    }

    @Test
    void withoutPerDropletHealthMetricsTheSwitchWaitsTheSettleTimeAndCompletes() {
        router.awaitAnswer(TrafficSwitched.class, router.publish(healthy(unmonitored, GREEN)));

        assertThat(simulator.dropletIdsOf(unmonitored.loadBalancerId()))
                .containsExactlyInAnyOrderElementsOf(unmonitored.green());
        assertThat(router.proxy().calls()).filteredOn(call -> call.path().contains("/monitoring/")
                && unmonitored.loadBalancerId().equals(call.query().get("lb_id")))
                .extracting(Call::status).containsExactly(404);
    }

    private static EnvironmentHealthy healthy(TestApp app, Colour colour) {
        List<DropletHealth> droplets = app.droplets(colour).stream()
                .map(id -> new DropletHealth(id, true, 3, "200 in 5 ms")).toList();
        return new EnvironmentHealthy(app.name(), colour, "main", "0a1b2c3", droplets, 900);
    }
}

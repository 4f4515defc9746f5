package dev.bluegreen.router.routing;

import static dev.bluegreen.events.Colour.BLUE;
import static dev.bluegreen.events.Colour.GREEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.bluegreen.events.DriftDetected;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.RequestRefused;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.HealthMetricsShape;
import dev.bluegreen.sandbox.digitalocean.RecordingProxy.Call;
import dev.bluegreen.sandbox.digitalocean.ReservedIp;
import dev.bluegreen.trafficplan.SwitchWords;

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
        // moved by hand, outside the pipeline
        simulator.addReservedIp("203.0.113.12", moved.green().get(0));
        router = TrafficRouterRun.start(simulator, TrafficRouterRun.API_TOKEN, reserved, unreserved, moved, draining,
                hurried, unmonitored);
        simulator.setHealthMetrics(unmonitored.loadBalancerId(), HealthMetricsShape.NOT_FOUND);
    }

    @AfterAll
    static void stopRouter() {
        router.close();
    }

    @Test
    void theReservedIpMovesToTheNewColourAndBackOnRollback() {
        TrafficSwitched switched = router.awaitAnswer(TrafficSwitched.class, router.deployUntilHealthy(reserved, GREEN))
                .dataAs(TrafficSwitched.class);

        assertThat(switched.from()).isEqualTo(BLUE);
        assertThat(switched.dropletIds()).containsExactly(reserved.green().get(0));
        assertThat(simulator.reservedIp(IP)).map(ReservedIp::dropletId).contains(reserved.green().get(0));
        assertThat(router.proxy().calls()).extracting(call -> call.method() + " " + call.path())
                .contains("POST /v2/reserved_ips/" + IP + "/actions")
                .anyMatch(call -> call.startsWith("GET /v2/actions/"));

        RolledBack rolledBack = router.awaitAnswer(RolledBack.class, router.rollback(reserved, "500s on checkout"))
                .dataAs(RolledBack.class);

        assertThat(rolledBack.to()).isEqualTo(BLUE);
        assertThat(simulator.reservedIp(IP)).map(ReservedIp::dropletId).contains(reserved.blue().get(0));
    }

    @Test
    void aReservedIpMovedByHandIsReportedAsDriftAndNotReassigned() {
        String deploymentId = router.deployUntilHealthy(moved, GREEN);

        router.awaitAnswer(SwitchFailed.class, deploymentId);

        assertThat(router.answers(deploymentId)).first().isInstanceOfSatisfying(DriftDetected.class, drift ->
                assertThat(drift.detail()).startsWith("Reserved IP 203.0.113.12 points at the green droplet "
                        + moved.green().get(0)));
        assertThat(router.proxy().calls()).extracting(call -> call.method() + " " + call.path())
                .doesNotContain("POST /v2/reserved_ips/203.0.113.12/actions");
    }

    @Test
    void aReservedIpThatPointsNowhereIsPointedAtTheNewColour() {
        router.awaitAnswer(TrafficSwitched.class, router.deployUntilHealthy(unreserved, GREEN));

        assertThat(simulator.reservedIp("203.0.113.11")).map(ReservedIp::dropletId)
                .contains(unreserved.green().get(0));
    }

    @Test
    void aHealthyColourSwitchesAndTrafficSwitchedComesOnlyAfterTheDrain() {
        String deploymentId = router.deployUntilHealthy(draining, GREEN);
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
    void aRollbackAskedDuringTheDrainIsRefusedAsTheMoveIsStillUnderWay() {
        String switchId = router.deployUntilHealthy(hurried, GREEN);
        await().until(() -> simulator.dropletIdsOf(hurried.loadBalancerId()).equals(hurried.green()));

        String rollbackId = router.rollback(hurried, "wrong banner");

        RequestRefused refused = router.awaitAnswer(RequestRefused.class, rollbackId).dataAs(RequestRefused.class);
        assertThat(refused.reason()).isEqualTo("Deployment " + switchId + " of hurried is moving traffic to green. "
                + "Nothing was rolled back.");
        router.awaitAnswer(TrafficSwitched.class, switchId);
        assertThat(simulator.dropletIdsOf(hurried.loadBalancerId())).containsExactlyInAnyOrderElementsOf(hurried.green());
        assertThat(router.events().events()).filteredOn(event -> event.subject().equals("hurried"))
                .extracting(Envelope::deploymentId).containsSubsequence(rollbackId, switchId);
    }

    @Test
    void withoutHealthMetricsASettleTimeoutShorterThanTheBalancerNeedsKeepsTheOldColourAndSaysWhatToSet() {
        // DigitalOcean's default health check passes a new droplet within 40 s; the settle timeout is 1 s
        String deploymentId = router.deployUntilHealthy(unmonitored, GREEN);

        SwitchFailed failed = router.awaitAnswer(SwitchFailed.class, deploymentId).dataAs(SwitchFailed.class);

        assertThat(failed.reason()).isEqualTo("The green droplets " + SwitchWords.joined(unmonitored.green())
                + " did not come to serve through load balancer " + unmonitored.loadBalancerId() + " within 1 s (no "
                + "current health metric names droplets " + SwitchWords.joined(unmonitored.green()) + " (the "
                + "metrics path answered 404), and the balancer needs 40 s to pass a new droplet (healthy_threshold 3 "
                + "× check_interval_seconds 10 s, plus one interval): set routing.settle-timeout above that, or "
                + "routing.verify). Took them out again: the blue droplets still take unmonitored's traffic.");
        assertThat(simulator.dropletIdsOf(unmonitored.loadBalancerId()))
                .containsExactlyInAnyOrderElementsOf(unmonitored.blue());
        assertThat(router.proxy().calls()).filteredOn(call -> call.path().contains("/monitoring/")
                && unmonitored.loadBalancerId().equals(call.query().get("lb_id")))
                .extracting(Call::status).containsExactly(404);
    }
}

package dev.bluegreen.router.routing;

import static dev.bluegreen.events.Colour.BLUE;
import static dev.bluegreen.events.Colour.GREEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.HealthCheck;
import dev.bluegreen.sandbox.digitalocean.HealthMetricsShape;
import dev.bluegreen.sandbox.digitalocean.LoadBalancerSettings;
import dev.bluegreen.sandbox.digitalocean.SimulatorSettings;
import dev.bluegreen.sandbox.loadbalancer.LoadBalancerProxy;
import dev.bluegreen.trafficplan.SwitchWords;

/**
 * DigitalOcean documents neither the labels of its per-droplet health metrics nor how often it samples them, so the
 * sandbox offers each shape they might take. Under every one, a switch through a real balancer (the sandbox's proxy,
 * whose checker probes real HTTP droplets) completes while users keep asking, and not one request fails: the old
 * colour goes only once the new one serves.
 */
class EveryHealthMetricsShapeTest {

    /**
     * What the router reads on each balancer: every 3 s, 2 passes to join, so a new droplet serves within 9 s. The
     * sandbox runs the checks 15 times faster (every 200 ms); the router, which cannot know that, waits the 9 s
     * wherever the metrics do not name the droplets.
     */
    private static final HealthCheck CHECK = new HealthCheck("http", 80, "/healthz", 3, 5, 2, 2);
    private static final long TIME_TO_SERVE_MS = 9_000;

    private static final DigitalOceanSimulator simulator = new DigitalOceanSimulator(SimulatorSettings.SANDBOX);
    private static final List<AutoCloseable> running = new ArrayList<>();
    private static final Map<HealthMetricsShape, Site> byHealth = new EnumMap<>(HealthMetricsShape.class);
    private static final Map<HealthMetricsShape, Site> byVerify = new EnumMap<>(HealthMetricsShape.class);
    private static Site undeployed;

    private static TrafficRouterRun router;

    /** An app behind its own balancer: blue serves v1, green is deployed with v2 (or not deployed). */
    private record Site(TestApp app, LoadBalancerProxy balancer) {
    }

    @BeforeAll
    static void startBalancersAndRouter() {
        for (HealthMetricsShape shape : HealthMetricsShape.values()) {
            String name = shape.name().toLowerCase(Locale.ROOT).replace('_', '-');
            byHealth.put(shape, site("health-" + name, shape, "v2", null));
            byVerify.put(shape, site("verify-" + name, shape, "v2", "{{ref}}"));
        }
        undeployed = site("undeployed", HealthMetricsShape.OTHER_LABELS, "v1", "{{ref}}");
        router = TrafficRouterRun.behindRealBalancers(simulator, Stream.concat(Stream.concat(
                byHealth.values().stream(), byVerify.values().stream()), Stream.of(undeployed))
                .map(Site::app).toArray(TestApp[]::new));
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (router != null) {
            router.close();
        }
        for (AutoCloseable part : running) {
            part.close();
        }
    }

    @ParameterizedTest
    @EnumSource(HealthMetricsShape.class)
    void aSwitchGoingByTheBalancersHealthCompletesWithNoFailedRequest(HealthMetricsShape shape) {
        Site site = byHealth.get(shape);

        TrafficSwitched switched = switchUnderLoad(site, "v2");

        if (shape == HealthMetricsShape.BY_DROPLET_ID) {
            assertThat(switched.durationMs()).as("confirmed by the metrics, before the wait")
                    .isLessThan(TIME_TO_SERVE_MS);
        } else if (shape != HealthMetricsShape.MINUTES_APART) {
            // minutes apart, a sample may fall inside the switch and confirm it sooner: either is right
            assertThat(switched.durationMs()).as("nothing names the droplets: the balancer's time to serve")
                    .isGreaterThanOrEqualTo(TIME_TO_SERVE_MS);
        }
    }

    @ParameterizedTest
    @EnumSource(HealthMetricsShape.class)
    void aSwitchConfirmedThroughTheBalancerCompletesWithNoFailedRequestAndReadsNoMetrics(HealthMetricsShape shape) {
        Site site = byVerify.get(shape);

        TrafficSwitched switched = switchUnderLoad(site, "v2");

        assertThat(switched.durationMs()).isLessThan(TIME_TO_SERVE_MS);
        assertThat(router.proxy().calls()).filteredOn(call -> call.path().contains("/monitoring/")
                && site.app().loadBalancerId().equals(call.query().get("lb_id"))).isEmpty();
    }

    @Test
    void aNewColourThatNeverAnswersTheNewVersionThroughTheBalancerIsTakenOutAgain() {
        // green passes every health check, but still runs v1: the deployment of v2 did not take
        String deploymentId = router.deployUntilHealthy(undeployed.app(), GREEN, "v2");

        SwitchFailed failed = router.awaitAnswer(SwitchFailed.class, deploymentId).dataAs(SwitchFailed.class);

        assertThat(failed.reason()).isEqualTo("The green droplets " + SwitchWords.joined(undeployed.app().green())
                + " did not come to serve through load balancer " + undeployed.app().loadBalancerId() + " within 3 s "
                + "(GET " + undeployed.balancer().url() + "/version through the balancer never answered \"v2\"; the "
                + "last answer was 200 \"v1\"). Took them out again: the blue droplets still take undeployed's "
                + "traffic.");
        assertThat(simulator.dropletIdsOf(undeployed.app().loadBalancerId()))
                .containsExactlyElementsOf(undeployed.app().blue());
    }

    private static TrafficSwitched switchUnderLoad(Site site, String ref) {
        String lbId = site.app().loadBalancerId();
        TrafficSwitched switched;
        try (SteadyLoad users = SteadyLoad.through(site.balancer().url())) {
            await().until(() -> users.answered() > 20);
            String deploymentId = router.deployUntilHealthy(site.app(), GREEN, ref);
            switched = router.awaitAnswer(TrafficSwitched.class, deploymentId).dataAs(TrafficSwitched.class);
            long answeredAtSwitch = users.answered();
            await().until(() -> users.answered() > answeredAtSwitch + 20);
            assertThat(users.lastPage()).isEqualTo("hello from v2");
            assertThat(users.pages()).containsExactlyInAnyOrder("hello from v1", "hello from v2");
            assertThat(users.failures()).isEmpty();
        }
        assertThat(simulator.dropletIdsOf(lbId)).containsExactlyInAnyOrderElementsOf(site.app().green());
        assertThat(simulator.history().failedRequests(lbId)).isEmpty();
        assertThat(simulator.history().requests(lbId).failed()).isZero();
        assertThat(simulator.history().timesWithoutHealthyDroplet(lbId)).isEmpty();
        return switched;
    }

    private static Site site(String name, HealthMetricsShape shape, String greenVersion, String verify) {
        List<Long> blue = droplets(name, Colour.BLUE, "v1");
        List<Long> green = droplets(name, Colour.GREEN, greenVersion);
        String lbId = simulator.addLoadBalancer(LoadBalancerSettings.byDropletIds(name + "-lb",
                DigitalOceanSimulator.REGION, blue).withHealthCheck(CHECK));
        simulator.setHealthMetrics(lbId, shape);
        LoadBalancerProxy balancer = LoadBalancerProxy.start(simulator, lbId, 0);
        running.add(balancer);
        await().until(() -> simulator.healthyDropletIdsOf(lbId).containsAll(blue));
        String routing = verify == null ? "{drain-period: 0s, settle-timeout: 30s}"
                : "{drain-period: 0s, settle-timeout: " + (greenVersion.equals("v1") ? "3s" : "30s")
                        + ", verify: {path: /version, expect: \"" + verify + "\", base-url: \"" + balancer.url()
                        + "\"}}";
        return new Site(new TestApp(name, lbId, blue, green, routing), balancer);
    }

    private static List<Long> droplets(String app, Colour colour, String version) {
        List<Long> ids = new ArrayList<>();
        for (int n = 1; n <= 2; n++) {
            HttpDroplet droplet = new HttpDroplet(version);
            running.add(droplet);
            ids.add(simulator.addDroplet(app + "-" + colour + "-" + n, droplet.url(), List.of(app)));
        }
        return ids;
    }
}

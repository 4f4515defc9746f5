package dev.bluegreen.router.routing;

import static dev.bluegreen.events.Colour.BLUE;
import static dev.bluegreen.events.Colour.GREEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;

import org.assertj.core.groups.Tuple;
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

class TrafficSwitchTest {

    private static final DigitalOceanSimulator simulator = new DigitalOceanSimulator();
    private static final TestApp shop = TestApp.create(simulator, "shop", BLUE);
    private static final TestApp blog = TestApp.create(simulator, "blog", BLUE);
    private static final TestApp wiki = TestApp.create(simulator, "wiki", GREEN);
    private static final TestApp forum = TestApp.create(simulator, "forum", BLUE).withGreen(List.of(9_999_001L));
    private static final TestApp ghost = TestApp.create(simulator, "ghost", BLUE)
            .withLoadBalancerId("0f0f0f0f-0000-4000-8000-000000000000");

    private static final TestApp split = TestApp.create(simulator, "split", BLUE);
    private static final TestApp tagged = TestApp.create(simulator, "tagged", BLUE)
            .withLoadBalancerId(simulator.addTaggedLoadBalancer("tagged-lb", "tagged:live"));

    private static TrafficRouterRun router;

    @BeforeAll
    static void startRouter() {
        simulator.attachDroplets(split.loadBalancerId(), split.green());
        router = TrafficRouterRun.start(simulator, TrafficRouterRun.API_TOKEN, shop, blog, wiki, forum, ghost, split,
                tagged);
    }

    @AfterAll
    static void stopRouter() {
        router.close();
    }

    @Test
    void switchesTheBalancerToTheHealthyColourAddingBeforeRemoving() {
        String deploymentId = router.publish(healthy(shop, GREEN));

        Envelope envelope = router.awaitAnswer(TrafficSwitched.class, deploymentId);

        TrafficSwitched switched = envelope.dataAs(TrafficSwitched.class);
        assertThat(envelope.source()).isEqualTo("traffic-router");
        assertThat(switched.from()).isEqualTo(BLUE);
        assertThat(switched.to()).isEqualTo(GREEN);
        assertThat(switched.dropletIds()).isEqualTo(shop.green());
        assertThat(simulator.dropletIdsOf(shop.loadBalancerId())).containsExactlyInAnyOrderElementsOf(shop.green());
        List<Call> calls = router.proxy().callsAbout(shop.loadBalancerId());
        assertThat(calls).extracting(Call::method, Call::status)
                .containsExactly(call("GET", 200), call("POST", 204), call("DELETE", 204));
        assertThat(calls.get(1).targetsAfter()).containsExactlyInAnyOrderElementsOf(shop.allDroplets());
        assertThat(calls).allSatisfy(call -> assertThat(call.targetsAfter()).isNotEmpty());
    }

    @Test
    void rollbackMovesTrafficBackToThePreviousColour() {
        router.awaitAnswer(TrafficSwitched.class, router.publish(healthy(blog, GREEN)));

        String deploymentId = router.publish(new RollbackRequested("blog", "alice", "checkout is broken"));

        RolledBack rolledBack = router.awaitAnswer(RolledBack.class, deploymentId).dataAs(RolledBack.class);
        assertThat(rolledBack.from()).isEqualTo(GREEN);
        assertThat(rolledBack.to()).isEqualTo(BLUE);
        assertThat(rolledBack.dropletIds()).isEqualTo(blog.blue());
        assertThat(simulator.dropletIdsOf(blog.loadBalancerId())).containsExactlyInAnyOrderElementsOf(blog.blue());
        List<Call> rollbackCalls = router.proxy().callsAbout(blog.loadBalancerId()).subList(3, 6);
        assertThat(rollbackCalls).extracting(Call::method).containsExactly("GET", "POST", "DELETE");
        assertThat(rollbackCalls).allSatisfy(call -> assertThat(call.targetsAfter()).isNotEmpty());
    }

    @Test
    void anApiErrorEndsInSwitchFailedAndLeavesTheOldColourServing() {
        String deploymentId = router.publish(healthy(forum, GREEN));

        SwitchFailed failed = router.awaitAnswer(SwitchFailed.class, deploymentId).dataAs(SwitchFailed.class);

        assertThat(failed.from()).isEqualTo(BLUE);
        assertThat(failed.to()).isEqualTo(GREEN);
        assertThat(failed.reason())
                .startsWith("Could not add the green droplets 9999001 to load balancer " + forum.loadBalancerId()
                        + ": DigitalOcean answered 422 unprocessable_entity: No Droplet has the id 9999001")
                .endsWith("Nothing changed: the blue droplets still take forum's traffic.");
        assertThat(simulator.dropletIdsOf(forum.loadBalancerId())).containsExactlyElementsOf(forum.blue());
    }

    @Test
    void aLoadBalancerDigitalOceanDoesNotKnowEndsInSwitchFailedWithItsMessage() {
        String deploymentId = router.publish(healthy(ghost, GREEN));

        SwitchFailed failed = router.awaitAnswer(SwitchFailed.class, deploymentId).dataAs(SwitchFailed.class);

        assertThat(failed.reason()).startsWith("Could not read load balancer " + ghost.loadBalancerId()
                + " of ghost: DigitalOcean answered 404 not_found: The resource you requested could not be found")
                .endsWith("Nothing changed.");
    }

    @Test
    void switchingToTheColourAlreadyLiveChangesNothing() {
        String deploymentId = router.publish(healthy(wiki, GREEN));

        TrafficSwitched switched = router.awaitAnswer(TrafficSwitched.class, deploymentId)
                .dataAs(TrafficSwitched.class);

        assertThat(switched.from()).isEqualTo(GREEN);
        assertThat(switched.to()).isEqualTo(GREEN);
        assertThat(simulator.dropletIdsOf(wiki.loadBalancerId())).containsExactlyElementsOf(wiki.green());
        assertThat(router.proxy().callsAbout(wiki.loadBalancerId())).extracting(Call::method).containsExactly("GET");
    }

    @Test
    void aRollbackWhileBothColoursTakeTrafficIsRefusedSayingWhy() {
        String deploymentId = router.publish(new RollbackRequested("split", "alice", "slow pages"));

        SwitchFailed failed = router.awaitAnswer(SwitchFailed.class, deploymentId).dataAs(SwitchFailed.class);

        assertThat(failed.reason()).isEqualTo("Load balancer " + split.loadBalancerId() + " sends split's traffic to "
                + "both its blue and green droplets, so there is no single colour to roll back from. Nothing changed.");
        assertThat(simulator.dropletIdsOf(split.loadBalancerId())).containsExactlyElementsOf(split.allDroplets());
    }

    @Test
    void aBalancerThatTargetsATagIsLeftAloneSayingWhy() {
        String deploymentId = router.publish(healthy(tagged, GREEN));

        SwitchFailed failed = router.awaitAnswer(SwitchFailed.class, deploymentId).dataAs(SwitchFailed.class);

        assertThat(failed.reason()).contains("targets the droplet tag 'tagged:live'").endsWith("Nothing changed.");
        assertThat(router.proxy().callsAbout(tagged.loadBalancerId())).extracting(Call::method)
                .containsExactly("GET");
    }

    private static EnvironmentHealthy healthy(TestApp app, Colour colour) {
        List<DropletHealth> droplets = app.droplets(colour).stream()
                .map(id -> new DropletHealth(id, true, 3, "200 in 5 ms"))
                .toList();
        return new EnvironmentHealthy(app.name(), colour, "main", "0a1b2c3", droplets, 900);
    }

    private static Tuple call(String method, int status) {
        return tuple(method, status);
    }
}

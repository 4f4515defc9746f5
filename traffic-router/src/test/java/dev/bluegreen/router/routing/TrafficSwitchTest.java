package dev.bluegreen.router.routing;

import static dev.bluegreen.events.Colour.BLUE;
import static dev.bluegreen.events.Colour.GREEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.util.List;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;

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
import dev.bluegreen.testing.DigitalOceanOpenApi;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrafficSwitchTest {

    private static final DigitalOceanSimulator simulator = new DigitalOceanSimulator();
    private static final TestApp shop = TestApp.create(simulator, "shop", BLUE);
    private static final TestApp blog = TestApp.create(simulator, "blog", BLUE);
    private static final TestApp wiki = TestApp.create(simulator, "wiki", GREEN);
    private static final TestApp forum = TestApp.create(simulator, "forum", BLUE).withGreen(List.of(9_999_001L));
    private static final TestApp ghost = TestApp.create(simulator, "ghost", BLUE)
            .withLoadBalancerId("0f0f0f0f-0000-4000-8000-000000000000");

    private static final TestApp split = TestApp.create(simulator, "split", BLUE);
    private static final TestApp halfway = TestApp.create(simulator, "halfway", BLUE);
    private static final TestApp tagged = TestApp.create(simulator, "tagged", BLUE)
            .withLoadBalancerId(simulator.addTaggedLoadBalancer("tagged-lb", "tagged:live"));

    private static TrafficRouterRun router;

    @BeforeAll
    static void startRouter() {
        simulator.attachDroplets(halfway.loadBalancerId(), halfway.green());
        simulator.tagDroplets("tagged:live", tagged.blue());
        router = TrafficRouterRun.start(simulator, TrafficRouterRun.API_TOKEN, shop, blog, wiki, forum, ghost, split,
                halfway, tagged);
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
        List<Call> calls = callsAfterStart(shop);
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
        List<Call> rollbackCalls = callsAfterStart(blog).subList(3, 6);
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
        assertThat(callsAfterStart(wiki)).extracting(Call::method).containsExactly("GET");
    }

    @Test
    void aSwitchThatHappenedButWasNeverRecordedIsPublishedOnStart() {
        // wiki's balancer serves green, but no switch of wiki was ever recorded and the apps file says blue
        TrafficSwitched recorded = router.awaitRecovery(TrafficSwitched.class, "wiki").dataAs(TrafficSwitched.class);

        assertThat(recorded.from()).isEqualTo(BLUE);
        assertThat(recorded.to()).isEqualTo(GREEN);
        assertThat(simulator.dropletIdsOf(wiki.loadBalancerId())).containsExactlyElementsOf(wiki.green());
    }

    @Test
    void aRollbackWhileBothColoursTakeTrafficIsRefusedSayingWhy() {
        // once the router has looked for a switch cut short on start, which would finish this one
        await().until(() -> !router.proxy().callsAbout(split.loadBalancerId()).isEmpty());
        simulator.attachDroplets(split.loadBalancerId(), split.green());

        String deploymentId = router.publish(new RollbackRequested("split", "alice", "slow pages"));

        SwitchFailed failed = router.awaitAnswer(SwitchFailed.class, deploymentId).dataAs(SwitchFailed.class);
        assertThat(failed.reason()).isEqualTo("Load balancer " + split.loadBalancerId() + " sends split's traffic to "
                + "both its blue and green droplets, so there is no single colour to roll back from. Nothing changed.");
        assertThat(simulator.dropletIdsOf(split.loadBalancerId())).containsExactlyElementsOf(split.allDroplets());
    }

    @Test
    void aSwitchCutShortBeforeTheOldColourWentIsFinishedOnStart() {
        Envelope recovered = router.awaitRecovery(TrafficSwitched.class, "halfway");

        TrafficSwitched switched = recovered.dataAs(TrafficSwitched.class);
        assertThat(switched.from()).isEqualTo(BLUE);
        assertThat(switched.to()).isEqualTo(GREEN);
        assertThat(simulator.dropletIdsOf(halfway.loadBalancerId()))
                .containsExactlyInAnyOrderElementsOf(halfway.green());
        assertThat(router.proxy().callsAbout(halfway.loadBalancerId())).extracting(Call::method)
                .containsExactly("GET", "DELETE");
    }

    @Test
    void aBalancerThatTargetsATagSwitchesAndRollsBackByMovingTheTag() {
        router.awaitAnswer(TrafficSwitched.class, router.publish(healthy(tagged, GREEN)));

        assertThat(simulator.dropletIdsOf(tagged.loadBalancerId())).containsExactlyInAnyOrderElementsOf(tagged.green());
        assertThat(router.proxy().calls()).filteredOn(call -> call.path().equals("/v2/tags/tagged:live/resources"))
                .extracting(Call::method).containsExactly("POST", "DELETE");

        RolledBack rolledBack = router.awaitAnswer(RolledBack.class,
                router.publish(new RollbackRequested("tagged", "alice", "typo on the front page")))
                .dataAs(RolledBack.class);

        assertThat(rolledBack.to()).isEqualTo(BLUE);
        assertThat(simulator.dropletIdsOf(tagged.loadBalancerId())).containsExactlyInAnyOrderElementsOf(tagged.blue());
        assertThat(simulator.dropletsTagged("tagged:live")).extracting(d -> d.id())
                .containsExactlyInAnyOrderElementsOf(tagged.blue());
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void everyRequestTheRouterSentInTheseSwitchesIsValidUnderDigitalOceansDescription() {
        OpenApiInteractionValidator validator = DigitalOceanOpenApi.validator();

        assertThat(router.proxy().calls()).isNotEmpty().allSatisfy(call -> {
            SimpleRequest.Builder request = new SimpleRequest.Builder(call.method(), call.path());
            call.headers().forEach(request::withHeader);
            call.query().forEach(request::withQueryParam);
            if (!call.body().isEmpty()) {
                request.withBody(call.body());
            }
            ValidationReport report = validator.validateRequest(request.build());
            assertThat(report.getMessages()).as(call.method() + " " + call.path() + " " + call.body() + ":\n"
                    + SimpleValidationReportFormat.getInstance().apply(report)).isEmpty();
        });
    }

    /** The calls about the app's balancer after the one read on start, that looks for a switch cut short. */
    private static List<Call> callsAfterStart(TestApp app) {
        List<Call> calls = router.proxy().callsAbout(app.loadBalancerId());
        return calls.subList(1, calls.size());
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

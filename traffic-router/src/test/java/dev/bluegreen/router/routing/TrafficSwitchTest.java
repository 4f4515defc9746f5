package dev.bluegreen.router.routing;

import static dev.bluegreen.events.Colour.BLUE;
import static dev.bluegreen.events.Colour.GREEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

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

import dev.bluegreen.events.DriftDetected;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.RequestRefused;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.RecordingProxy.Call;
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
    private static final TestApp fresh = TestApp.create(simulator, "fresh", BLUE);
    private static final TestApp split = TestApp.create(simulator, "split", BLUE);
    private static final TestApp halfway = TestApp.create(simulator, "halfway", BLUE);
    private static final TestApp tagged = TestApp.create(simulator, "tagged", BLUE)
            .withLoadBalancerId(simulator.addTaggedLoadBalancer("tagged-lb", "tagged:live"));

    private static TrafficRouterRun router;

    @BeforeAll
    static void startRouter() {
        simulator.attachDroplets(halfway.loadBalancerId(), halfway.green());
        simulator.tagDroplets("tagged:live", tagged.blue());
        router = TrafficRouterRun.start(simulator, TrafficRouterRun.API_TOKEN, shop, blog, wiki, forum, ghost, fresh,
                split, halfway, tagged);
    }

    @AfterAll
    static void stopRouter() {
        router.close();
    }

    @Test
    void aHealthyColourGetsTheTrafficAddedBeforeTheOldColourIsRemoved() {
        String deploymentId = router.deployUntilHealthy(shop, GREEN);

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
    void aRollbackTheStateMachineAcceptsMovesTheTrafficBackToThePreviousColour() {
        router.awaitAnswer(TrafficSwitched.class, router.deployUntilHealthy(blog, GREEN));

        String rollbackId = router.rollback(blog, "checkout is broken");

        RolledBack rolledBack = router.awaitAnswer(RolledBack.class, rollbackId).dataAs(RolledBack.class);
        assertThat(rolledBack.from()).isEqualTo(GREEN);
        assertThat(rolledBack.to()).isEqualTo(BLUE);
        assertThat(rolledBack.dropletIds()).isEqualTo(blog.blue());
        assertThat(simulator.dropletIdsOf(blog.loadBalancerId())).containsExactlyInAnyOrderElementsOf(blog.blue());
        List<Call> rollbackCalls = router.proxy().callsAbout(blog.loadBalancerId()).subList(3, 6);
        assertThat(rollbackCalls).extracting(Call::method).containsExactly("GET", "POST", "DELETE");
        assertThat(rollbackCalls).allSatisfy(call -> assertThat(call.targetsAfter()).isNotEmpty());
    }

    @Test
    void aRefusedRollbackIsSaidAloudAndMakesNoDigitalOceanCall() {
        // fresh's green colour never served: there is nothing to roll back to
        String rollbackId = router.rollback(fresh, "just in case");

        RequestRefused refused = router.awaitAnswer(RequestRefused.class, rollbackId).dataAs(RequestRefused.class);

        assertThat(refused.request()).isEqualTo("RollbackRequested");
        assertThat(refused.reason()).startsWith("There is nothing to roll back to: green has not served")
                .endsWith("blue keeps the traffic.");
        assertThat(router.answers(rollbackId)).hasSize(1);
        assertThat(router.proxy().callsAbout(fresh.loadBalancerId())).isEmpty();
        assertThat(simulator.dropletIdsOf(fresh.loadBalancerId())).containsExactlyElementsOf(fresh.blue());
    }

    @Test
    void aBalancerMovedByHandIsReportedAsDriftAndNotWrittenTo() {
        // wiki's balancer serves green, but its history (the apps file's initial live colour) says blue
        String deploymentId = router.deployUntilHealthy(wiki, GREEN);

        SwitchFailed failed = router.awaitAnswer(SwitchFailed.class, deploymentId).dataAs(SwitchFailed.class);

        assertThat(router.answers(deploymentId)).hasSize(2).first().isInstanceOfSatisfying(DriftDetected.class,
                drift -> {
                    assertThat(drift.recordedLive()).isEqualTo(BLUE);
                    assertThat(drift.servingColours()).containsExactly(GREEN);
                    assertThat(drift.detail()).startsWith("Load balancer " + wiki.loadBalancerId() + " sends wiki's "
                            + "traffic to green only");
                });
        assertThat(failed.reason()).startsWith("Traffic of wiki was not moved to green for deployment "
                + deploymentId).contains("the traffic was moved outside the pipeline");
        assertThat(router.proxy().callsAbout(wiki.loadBalancerId())).extracting(Call::method).containsOnly("GET");
        assertThat(simulator.dropletIdsOf(wiki.loadBalancerId())).containsExactlyElementsOf(wiki.green());
    }

    @Test
    void anApiErrorEndsInSwitchFailedAndLeavesTheOldColourServing() {
        String deploymentId = router.deployUntilHealthy(forum, GREEN);

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
        String deploymentId = router.deployUntilHealthy(ghost, GREEN);

        SwitchFailed failed = router.awaitAnswer(SwitchFailed.class, deploymentId).dataAs(SwitchFailed.class);

        assertThat(failed.reason()).startsWith("Could not read load balancer " + ghost.loadBalancerId()
                + " of ghost: DigitalOcean answered 404 not_found: The resource you requested could not be found")
                .endsWith("Nothing changed.");
    }

    @Test
    void aSwitchFindingBothColoursAttachedFinishesItByRemovingTheOldColour() {
        // halfway's balancer has both colours attached, as a switch cut short leaves it
        String deploymentId = router.deployUntilHealthy(halfway, GREEN);

        TrafficSwitched switched = router.awaitAnswer(TrafficSwitched.class, deploymentId)
                .dataAs(TrafficSwitched.class);

        assertThat(switched.from()).isEqualTo(BLUE);
        assertThat(switched.to()).isEqualTo(GREEN);
        assertThat(simulator.dropletIdsOf(halfway.loadBalancerId()))
                .containsExactlyInAnyOrderElementsOf(halfway.green());
        assertThat(router.proxy().callsAbout(halfway.loadBalancerId())).extracting(Call::method)
                .containsExactly("GET", "DELETE");
    }

    @Test
    void aRollbackFindingBothColoursAttachedFinishesTheMoveBackWithoutAddingAnything() {
        router.awaitAnswer(TrafficSwitched.class, router.deployUntilHealthy(split, GREEN));
        simulator.attachDroplets(split.loadBalancerId(), split.blue());

        String rollbackId = router.rollback(split, "slow pages");

        router.awaitAnswer(RolledBack.class, rollbackId);
        assertThat(simulator.dropletIdsOf(split.loadBalancerId())).containsExactlyInAnyOrderElementsOf(split.blue());
        assertThat(router.proxy().callsAbout(split.loadBalancerId())).extracting(Call::method)
                .containsExactly("GET", "POST", "DELETE", "GET", "DELETE");
    }

    @Test
    void aBalancerThatTargetsATagSwitchesAndRollsBackByMovingTheTag() {
        router.awaitAnswer(TrafficSwitched.class, router.deployUntilHealthy(tagged, GREEN));

        assertThat(simulator.dropletIdsOf(tagged.loadBalancerId())).containsExactlyInAnyOrderElementsOf(tagged.green());
        assertThat(router.proxy().calls()).filteredOn(call -> call.path().equals("/v2/tags/tagged:live/resources"))
                .extracting(Call::method).containsExactly("POST", "DELETE");

        RolledBack rolledBack = router.awaitAnswer(RolledBack.class, router.rollback(tagged, "typo on the front page"))
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

    private static Tuple call(String method, int status) {
        return tuple(method, status);
    }
}

package dev.bluegreen.gateway.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.DropletHealth;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.Phase;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RequestRefused;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.gateway.RunningGateway;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.lifecycle.AppStateCodec;
import dev.bluegreen.lifecycle.ColourRecord;
import dev.bluegreen.lifecycle.ColourStatus;
import dev.bluegreen.lifecycle.Operation;
import dev.bluegreen.lifecycle.Outcome;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

class StatusTest {

    @TempDir
    static Path directory;

    static RunningGateway gateway;
    static EventLog kafka;
    static WebTestClient http;

    /** Later than any other test's events, so these deployments are each app's newest. */
    private final Instant start = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    /** Apps of this test's own: their state is what this test makes it. */
    static final String REFUSING = RunningGateway.newApp("forum");
    static final String REMEMBERED = RunningGateway.newApp("notes");
    static final String WAITING = RunningGateway.newApp("docs");
    static final String UNTOUCHED = RunningGateway.newApp("chat");
    static final String BAKING = RunningGateway.newApp("blog");
    static final String OUTDONE = RunningGateway.newApp("shop");
    /** Its bake period is 2 s, so that its bake is seen to pass. */
    static final String QUICK = RunningGateway.newApp("news");

    @BeforeAll
    static void startGateway() {
        gateway = RunningGateway.start(directory, KafkaFixture.bootstrapServers(),
                List.of(REFUSING, REMEMBERED, WAITING, UNTOUCHED, BAKING, OUTDONE, QUICK),
                "--bluegreen.apps." + QUICK + ".health.bake.period=2s");
        kafka = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);
        http = gateway.reader();
    }

    @AfterAll
    static void stopGateway() {
        if (kafka != null) {
            kafka.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aDeploymentShowsEachEventWithItsTimeAndOutcomeAndHowLongItTook() {
        String id = UUID.randomUUID().toString();
        publish(id, 0, new DeployRequested("shop", "v2", null, "alice"));
        publish(id, 1, new DeploymentStarted("shop", Colour.GREEN, "v2", List.of(102L)));
        publish(id, 20, new DeploymentLog("shop", Colour.GREEN, 102, "install", 0, List.of("ok"), false));
        publish(id, 40, new EnvironmentProvisioned("shop", Colour.GREEN, "v2", "4f9c2e1", List.of(102L), 39_000));
        publish(id, 48, new EnvironmentHealthy("shop", Colour.GREEN, "v2", "4f9c2e1",
                List.of(new DropletHealth(102, true, 3, "200 OK in 12 ms")), 8_000));
        publish(id, 50, new TrafficSwitched("shop", Colour.BLUE, Colour.GREEN, List.of(102L), 900));

        Awaitility.await().untilAsserted(() -> http.get().uri("/api/deployments/" + id).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.app").isEqualTo("shop")
                .jsonPath("$.kind").isEqualTo("deployment")
                .jsonPath("$.ref").isEqualTo("v2")
                .jsonPath("$.commit").isEqualTo("4f9c2e1")
                .jsonPath("$.requestedBy").isEqualTo("alice")
                .jsonPath("$.outcome").isEqualTo("succeeded")
                .jsonPath("$.colour").isEqualTo("green")
                .jsonPath("$.requestedAt").isEqualTo(start.toString())
                .jsonPath("$.finishedAt").isEqualTo(start.plusSeconds(50).toString())
                .jsonPath("$.durationMs").isEqualTo(50_000)
                .jsonPath("$.logBatches").isEqualTo(1)
                .jsonPath("$.steps[*].event").isEqualTo(List.of("DeployRequested", "DeploymentStarted",
                        "EnvironmentProvisioned", "EnvironmentHealthy", "TrafficSwitched"))
                .jsonPath("$.steps[4].time").isEqualTo(start.plusSeconds(50).toString())
                .jsonPath("$.steps[4].summary").isEqualTo("traffic moved from blue to green"));
    }

    @Test
    void anAppsHistoryListsItsNewestDeploymentsFirstWithWhoAskedWhichRefAndHowTheyEnded() {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        publish(first, 100, new DeployRequested("wiki", "r1", null, "dave"));
        publish(first, 130, new ProvisioningFailed("wiki", Colour.BLUE, "r1", "pip install failed with exit code 1",
                201L, "install", 1, "No matching distribution"));
        publish(second, 200, new DeployRequested("wiki", "r2", null, "erin"));

        Awaitility.await().untilAsserted(() -> http.get().uri("/api/apps/wiki/deployments?limit=2").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[0].deploymentId").isEqualTo(second)
                .jsonPath("$[0].requestedBy").isEqualTo("erin")
                .jsonPath("$[0].outcome").isEqualTo("running")
                .jsonPath("$[0].durationMs").doesNotExist()
                .jsonPath("$[1].deploymentId").isEqualTo(first)
                .jsonPath("$[1].ref").isEqualTo("r1")
                .jsonPath("$[1].outcome").isEqualTo("failed")
                .jsonPath("$[1].reason").isEqualTo("pip install failed with exit code 1")
                .jsonPath("$[1].durationMs").isEqualTo(30_000));
    }

    @Test
    void historyListsARefusedDeployAsRefusedWithItsReason() {
        String running = UUID.randomUUID().toString();
        String refused = UUID.randomUUID().toString();
        String reason = "Deployment " + running + " of " + REFUSING + " is provisioning green. Deployment " + refused
                + " was not started; request it again when that has ended, or cancel it.";
        publish(running, 500, new DeployRequested(REFUSING, "v1", null, "heidi"));
        publish(refused, 510, new DeployRequested(REFUSING, "v2", "9a9a9a9", "ci"));
        // what the deploy-agent says aloud when the state machine refused the second deploy
        kafka.publish(Envelope.of("deploy-agent", refused, new RequestRefused(REFUSING, "DeployRequested", reason),
                start.plusSeconds(511)));

        Awaitility.await().untilAsserted(() -> http.get().uri("/api/apps/" + REFUSING + "/deployments").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[0].deploymentId").isEqualTo(refused)
                .jsonPath("$[0].ref").isEqualTo("v2")
                .jsonPath("$[0].outcome").isEqualTo("refused")
                .jsonPath("$[0].reason").isEqualTo(reason)
                .jsonPath("$[0].durationMs").isEqualTo(1_000)
                .jsonPath("$[0].steps[1].outcome").isEqualTo("refused")
                .jsonPath("$[1].deploymentId").isEqualTo(running)
                .jsonPath("$[1].outcome").isEqualTo("running"));
    }

    @Test
    void theStatusShowsTheLiveColourFromTheAppStatesTopicAfterTheLifecycleHistoryIsGone() {
        // All that is left of the app's history, once the lifecycle topic's retention deleted its events.
        Instant switched = start.minus(30, ChronoUnit.DAYS);
        AppState state = new AppState(REMEMBERED, Colour.GREEN,
                new ColourRecord(ColourStatus.WARM, "v6", "6e6e6e6", "d-6"),
                new ColourRecord(ColourStatus.LIVE, "v7", "7f7f7f7", "d-7"), null, null,
                new Outcome("d-7", Operation.Kind.DEPLOYMENT, Outcome.Result.SUCCEEDED, null, switched),
                List.of("d-6", "d-7"), 42);
        kafka.publishRaw(Topics.APP_STATES, REMEMBERED, new AppStateCodec().write(state));

        Awaitility.await().untilAsserted(() -> http.get().uri("/api/apps/" + REMEMBERED + "/status").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.liveColour").isEqualTo("green")
                .jsonPath("$.phase").isEqualTo("idle")
                .jsonPath("$.liveRef").isEqualTo("v7")
                .jsonPath("$.liveCommit").isEqualTo("7f7f7f7")
                .jsonPath("$.colours.green.status").isEqualTo("live")
                .jsonPath("$.colours.blue.status").isEqualTo("warm")
                .jsonPath("$.colours.blue.ref").isEqualTo("v6")
                // green is live: the preview is blue, as the apps file gives its droplets
                .jsonPath("$.preview.colour").isEqualTo("blue")
                .jsonPath("$.preview.droplets[0].dropletId").isEqualTo(311)
                .jsonPath("$.preview.droplets[0].url").isEqualTo("http://127.0.0.1:8311")
                .jsonPath("$.current").doesNotExist()
                .jsonPath("$.last.deploymentId").isEqualTo("d-7")
                .jsonPath("$.last.result").isEqualTo("succeeded")
                .jsonPath("$.last.at").isEqualTo(switched.toString()));
        assertThat(kafka.events()).noneMatch(event -> event.subject().equals(REMEMBERED));
    }

    @Test
    void theStatusShowsWhatIsUnderWayWithItsPhaseAndWhenItExpires() {
        Instant healthy = start.plusSeconds(600);
        Operation waiting = new Operation("d-9", Operation.Kind.DEPLOYMENT, Phase.AWAITING_APPROVAL, Colour.GREEN,
                "v9", "9c9c9c9", "ivan", start, healthy, true, false);
        AppState state = new AppState(WAITING, Colour.BLUE, new ColourRecord(ColourStatus.LIVE, "v8", null, null),
                new ColourRecord(ColourStatus.TOUCHED, "v9", "9c9c9c9", "d-9"), waiting, null, null, List.of("d-9"),
                4);
        kafka.publishRaw(Topics.APP_STATES, WAITING, new AppStateCodec().write(state));

        Awaitility.await().untilAsserted(() -> http.get().uri("/api/apps/" + WAITING + "/status").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.liveColour").isEqualTo("blue")
                .jsonPath("$.phase").isEqualTo("awaiting-approval")
                .jsonPath("$.colours.green.status").isEqualTo("touched")
                .jsonPath("$.current.deploymentId").isEqualTo("d-9")
                .jsonPath("$.current.kind").isEqualTo("deployment")
                .jsonPath("$.current.target").isEqualTo("green")
                .jsonPath("$.current.ref").isEqualTo("v9")
                .jsonPath("$.current.requestedBy").isEqualTo("ivan")
                .jsonPath("$.current.phaseSince").isEqualTo(healthy.toString())
                // the apps file's default approval timeout
                .jsonPath("$.current.deadline").isEqualTo(healthy.plus(24, ChronoUnit.HOURS).toString())
                .jsonPath("$.last").doesNotExist());
    }

    @Test
    void anAppWithoutARecordedStateShowsItsConfiguredInitialColourAndNothingUnderWay() {
        http.get().uri("/api/apps/" + UNTOUCHED + "/status").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.liveColour").isEqualTo("blue")
                .jsonPath("$.phase").isEqualTo("idle")
                .jsonPath("$.colours.blue.status").isEqualTo("live")
                .jsonPath("$.colours.green.status").isEqualTo("touched")
                .jsonPath("$.preview.colour").isEqualTo("green")
                .jsonPath("$.preview.droplets[0].dropletId").isEqualTo(332)
                .jsonPath("$.preview.droplets[0].address").isEqualTo("127.0.0.1")
                .jsonPath("$.preview.droplets[0].url").isEqualTo("http://127.0.0.1:8332")
                .jsonPath("$.current").doesNotExist()
                .jsonPath("$.last").doesNotExist();
    }

    @Test
    void aSwitchedDeploymentIsWatchedThroughItsBakePeriodUntilTheHealthMonitorAsksToRollItBack() {
        String id = UUID.randomUUID().toString();
        switched(BAKING, id, 700);

        Instant since = start.plusSeconds(750);
        Instant until = since.plus(5, ChronoUnit.MINUTES);
        Awaitility.await().untilAsserted(() -> http.get().uri("/api/apps/" + BAKING + "/status").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.phase").isEqualTo("idle")
                .jsonPath("$.bake.deploymentId").isEqualTo(id)
                .jsonPath("$.bake.colour").isEqualTo("green")
                .jsonPath("$.bake.since").isEqualTo(since.toString())
                // the apps file's default bake period
                .jsonPath("$.bake.until").isEqualTo(until.toString()));
        http.get().uri("/api/deployments/" + id).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.outcome").isEqualTo("succeeded")
                .jsonPath("$.bake.state").isEqualTo("watching")
                .jsonPath("$.bake.since").isEqualTo(since.toString())
                .jsonPath("$.bake.until").isEqualTo(until.toString())
                .jsonPath("$.bake.reason").doesNotExist();

        String rollback = "rollback-" + UUID.randomUUID();
        String reason = "Droplet 312 failed 3 health checks in a row within 40 s after traffic moved to green (bake "
                + "period 5 min): 503 in 4 ms; 503 in 3 ms; 503 in 3 ms";
        kafka.publish(Envelope.of("health-monitor", rollback, new RollbackRequested(BAKING, "health-monitor", reason,
                id), start.plusSeconds(790)));

        Awaitility.await().untilAsserted(() -> http.get().uri("/api/deployments/" + id).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.outcome").isEqualTo("succeeded")
                .jsonPath("$.bake.state").isEqualTo("failed")
                .jsonPath("$.bake.reason").isEqualTo(reason)
                .jsonPath("$.bake.rollbackId").isEqualTo(rollback)
                .jsonPath("$.bake.endedAt").isEqualTo(start.plusSeconds(790).toString()));
    }

    @Test
    void aDeploymentAskedForDuringABakeEndsItEarly() {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        switched(OUTDONE, first, 800);
        publish(second, 900, new DeployRequested(OUTDONE, "v3", null, "judy"));

        Awaitility.await().untilAsserted(() -> http.get().uri("/api/deployments/" + first).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.bake.state").isEqualTo("ended")
                .jsonPath("$.bake.endedAt").isEqualTo(start.plusSeconds(900).toString())
                .jsonPath("$.bake.reason").isEqualTo("deployment " + second + " came after it"));
        Awaitility.await().untilAsserted(() -> http.get().uri("/api/apps/" + OUTDONE + "/status").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.phase").isEqualTo("provisioning")
                .jsonPath("$.bake").doesNotExist());
    }

    @Test
    void aBakeWhosePeriodIsOverWithoutARollbackHasPassedAndTheStatusNoLongerShowsIt() {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (PipelineEvent event : switchedEvents(QUICK)) {
            kafka.publish(Envelope.of("test", id, event, now));
        }

        Awaitility.await().untilAsserted(() -> http.get().uri("/api/deployments/" + id).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.outcome").isEqualTo("succeeded")
                .jsonPath("$.bake.state").isEqualTo("passed")
                .jsonPath("$.bake.since").isEqualTo(now.toString())
                .jsonPath("$.bake.until").isEqualTo(now.plusSeconds(2).toString())
                .jsonPath("$.bake.endedAt").doesNotExist());
        http.get().uri("/api/apps/" + QUICK + "/status").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.last.deploymentId").isEqualTo(id)
                .jsonPath("$.bake").doesNotExist();
    }

    @Test
    void unknownDeploymentsAndAppsAre404() {
        http.get().uri("/api/deployments/no-such-deployment").exchange()
                .expectStatus().isNotFound()
                .expectBody().json("{\"error\":\"No deployment 'no-such-deployment' is known to the gateway\"}", true);
        http.get().uri("/api/apps/blog/status").exchange()
                .expectStatus().isNotFound()
                .expectBody().json("{\"error\":\"No app named 'blog' is configured\"}", true);
        http.get().uri("/api/apps/blog/deployments").exchange()
                .expectStatus().isNotFound();
        http.get().uri("/api/apps/shop/deployments?limit=0").exchange()
                .expectStatus().isBadRequest()
                .expectBody().json("{\"error\":\"limit must be at least 1\"}", true);
    }

    /** A deployment of v2 to green, from its request to its switch, {@code second} seconds after the start. */
    private void switched(String app, String deploymentId, int second) {
        List<PipelineEvent> events = switchedEvents(app);
        for (int i = 0; i < events.size(); i++) {
            publish(deploymentId, second + (i == events.size() - 1 ? 50 : i * 10), events.get(i));
        }
    }

    private static List<PipelineEvent> switchedEvents(String app) {
        return List.of(new DeployRequested(app, "v2", null, "grace"),
                new DeploymentStarted(app, Colour.GREEN, "v2", List.of(312L)),
                new EnvironmentProvisioned(app, Colour.GREEN, "v2", "2b2b2b2", List.of(312L), 20_000),
                new EnvironmentHealthy(app, Colour.GREEN, "v2", "2b2b2b2",
                        List.of(new DropletHealth(312, true, 3, "200 OK in 5 ms")), 6_000),
                new TrafficSwitched(app, Colour.BLUE, Colour.GREEN, List.of(312L), 800));
    }

    private void publish(String deploymentId, int second, PipelineEvent event) {
        kafka.publish(Envelope.of("test", deploymentId, event, start.plusSeconds(second)));
    }
}

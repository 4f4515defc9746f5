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
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.gateway.RunningGateway;
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

    @BeforeAll
    static void startGateway() {
        gateway = RunningGateway.start(directory, KafkaFixture.bootstrapServers());
        kafka = EventLog.open(KafkaFixture.bootstrapServers(), Topics.TRAFFIC);
        http = gateway.http();
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
        // Published out of order, as topics read side by side may arrive: the steps still read in time order.
        publish(id, 0, new DeployRequested("shop", "v2", null, "alice"));
        publish(id, 50, new TrafficSwitched("shop", Colour.BLUE, Colour.GREEN, List.of(102L), 900));
        publish(id, 1, new DeploymentStarted("shop", Colour.GREEN, "v2", List.of(102L)));
        publish(id, 20, new DeploymentLog("shop", Colour.GREEN, 102, "install", 0, List.of("ok"), false));
        publish(id, 40, new EnvironmentProvisioned("shop", Colour.GREEN, "v2", "4f9c2e1", List.of(102L), 39_000));
        publish(id, 48, new EnvironmentHealthy("shop", Colour.GREEN, "v2", "4f9c2e1",
                List.of(new DropletHealth(102, true, 3, "200 OK in 12 ms")), 8_000));

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
    void theStatusShowsWhichColourIsLiveAndWhatRuns() {
        // No switch of wiki is recorded yet: its configured initial colour is live.
        http.get().uri("/api/apps/wiki/status").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.liveColour").isEqualTo("green")
                .jsonPath("$.liveSince").doesNotExist();

        String id = UUID.randomUUID().toString();
        publish(id, 300, new DeployRequested("wiki", "r3", null, "frank"));
        publish(id, 330, new EnvironmentProvisioned("wiki", Colour.BLUE, "r3", "9e8d7c6", List.of(201L), 30_000));
        publish(id, 340, new TrafficSwitched("wiki", Colour.GREEN, Colour.BLUE, List.of(201L), 700));
        String running = UUID.randomUUID().toString();
        publish(running, 400, new DeployRequested("wiki", "r4", null, "grace"));

        Awaitility.await().untilAsserted(() -> http.get().uri("/api/apps/wiki/status").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.liveColour").isEqualTo("blue")
                .jsonPath("$.liveSince").isEqualTo(start.plusSeconds(340).toString())
                .jsonPath("$.liveRef").isEqualTo("r3")
                .jsonPath("$.current.deploymentId").isEqualTo(running)
                .jsonPath("$.last.deploymentId").isEqualTo(id));
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

    private void publish(String deploymentId, int second, PipelineEvent event) {
        kafka.publish(Envelope.of("test", deploymentId, event, start.plusSeconds(second)));
    }
}

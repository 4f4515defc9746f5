package dev.bluegreen.gateway.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.bluegreen.events.AwaitingPromotion;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.DropletHealth;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.PreviewDroplet;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.gateway.RunningGateway;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * The gateway's lifecycle engine folds what the services publish on the lifecycle topic with the shared state
 * machine, writes each app's state to the app-states topic, and the gateway's status and history follow it. The test
 * plays the deploy-agent, the health-monitor and the traffic-router on Kafka.
 */
class AppLifecycleTest {

    private static final ParameterizedTypeReference<Map<String, String>> JSON_OBJECT =
            new ParameterizedTypeReference<>() {
            };

    /** The engine joins its consumer group and restores its store before it folds anything. */
    private static final Duration ENGINE_WAIT = Duration.ofSeconds(60);

    static final String SWITCHED = RunningGateway.newApp("shop");
    static final String CANCELLED = RunningGateway.newApp("store");
    /** Its green droplet: id 322, at http://127.0.0.1:8322 in the apps file. */
    static final String GATED = RunningGateway.newApp("docs");

    @TempDir
    static Path directory;

    static RunningGateway gateway;
    static EventLog kafka;
    static WebTestClient http;

    @BeforeAll
    static void startGateway() {
        gateway = RunningGateway.start(directory, KafkaFixture.bootstrapServers(), List.of(SWITCHED, CANCELLED, GATED));
        kafka = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);
        http = gateway.authorized();
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
    void aSwitchMakesItsColourLiveAndARollbackIsAnEntryOfItsOwnThatMovesTrafficBack() {
        String deployment = request("/api/apps/" + SWITCHED + "/deployments", "{\"ref\":\"v2\"}");
        kafka.awaitEvent(DeployRequested.class, deployment);
        eventually().untilAsserted(() -> status(SWITCHED)
                .jsonPath("$.phase").isEqualTo("provisioning")
                .jsonPath("$.current.deploymentId").isEqualTo(deployment)
                .jsonPath("$.current.target").isEqualTo("green"));
        publish(deployment, new DeploymentStarted(SWITCHED, Colour.GREEN, "v2", List.of(302L)));
        publish(deployment, new EnvironmentProvisioned(SWITCHED, Colour.GREEN, "v2", "2b2b2b2", List.of(302L), 9_000));
        publish(deployment, new EnvironmentHealthy(SWITCHED, Colour.GREEN, "v2", "2b2b2b2",
                List.of(new DropletHealth(302, true, 3, "200 OK")), 4_000));
        publish(deployment, new TrafficSwitched(SWITCHED, Colour.BLUE, Colour.GREEN, List.of(302L), 700));

        eventually().untilAsserted(() -> status(SWITCHED)
                .jsonPath("$.liveColour").isEqualTo("green")
                .jsonPath("$.phase").isEqualTo("idle")
                .jsonPath("$.liveRef").isEqualTo("v2")
                .jsonPath("$.colours.green.status").isEqualTo("live")
                .jsonPath("$.colours.green.commit").isEqualTo("2b2b2b2")
                .jsonPath("$.colours.green.deploymentId").isEqualTo(deployment)
                .jsonPath("$.colours.blue.status").isEqualTo("warm")
                .jsonPath("$.last.deploymentId").isEqualTo(deployment)
                .jsonPath("$.last.result").isEqualTo("succeeded"));

        String rollback = request("/api/apps/" + SWITCHED + "/rollbacks", "{\"reason\":\"checkout is slow\"}");
        assertThat(rollback).isNotEqualTo(deployment);
        eventually().untilAsserted(() -> status(SWITCHED)
                .jsonPath("$.phase").isEqualTo("switching")
                .jsonPath("$.current.deploymentId").isEqualTo(rollback)
                .jsonPath("$.current.kind").isEqualTo("rollback")
                .jsonPath("$.current.target").isEqualTo("blue"));
        kafka.awaitEvent(RollbackRequested.class, rollback);
        publish(rollback, new RolledBack(SWITCHED, Colour.GREEN, Colour.BLUE, List.of(301L), 600));

        eventually().untilAsserted(() -> status(SWITCHED)
                .jsonPath("$.liveColour").isEqualTo("blue")
                .jsonPath("$.phase").isEqualTo("idle")
                .jsonPath("$.last.deploymentId").isEqualTo(rollback)
                .jsonPath("$.last.kind").isEqualTo("rollback")
                .jsonPath("$.colours.green.status").isEqualTo("warm"));
        http.get().uri("/api/apps/" + SWITCHED + "/deployments").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[0].deploymentId").isEqualTo(rollback)
                .jsonPath("$[0].kind").isEqualTo("rollback")
                .jsonPath("$[0].outcome").isEqualTo("succeeded")
                .jsonPath("$[1].deploymentId").isEqualTo(deployment)
                .jsonPath("$[1].kind").isEqualTo("deployment")
                .jsonPath("$[1].outcome").isEqualTo("succeeded")
                .jsonPath("$[1].steps[*].event").isEqualTo(List.of("DeployRequested", "DeploymentStarted",
                        "EnvironmentProvisioned", "EnvironmentHealthy", "TrafficSwitched"));
    }

    @Test
    void aCancelEndsADeploymentThatHasNotReachedTrafficAndTheAppTakesTheNextOne() {
        String cancelled = request("/api/apps/" + CANCELLED + "/deployments", "{\"ref\":\"v2\"}");
        eventually().untilAsserted(() -> status(CANCELLED)
                .jsonPath("$.current.deploymentId").isEqualTo(cancelled)
                .jsonPath("$.phase").isEqualTo("provisioning"));

        request("/api/apps/" + CANCELLED + "/deployments/" + cancelled + "/cancel",
                "{\"reason\":\"the acceptance tests failed\"}");

        eventually().untilAsserted(() -> status(CANCELLED)
                .jsonPath("$.phase").isEqualTo("idle")
                .jsonPath("$.liveColour").isEqualTo("blue")
                .jsonPath("$.last.deploymentId").isEqualTo(cancelled)
                .jsonPath("$.last.result").isEqualTo("cancelled")
                .jsonPath("$.last.reason").isEqualTo("Cancelled by ci while provisioning: the acceptance tests "
                        + "failed"));
        http.get().uri("/api/deployments/" + cancelled).exchange()
                .expectBody()
                .jsonPath("$.outcome").isEqualTo("cancelled")
                .jsonPath("$.reason").isEqualTo("Cancelled by ci while provisioning: the acceptance tests failed");

        String next = request("/api/apps/" + CANCELLED + "/deployments", "{\"ref\":\"v3\"}");
        eventually().untilAsserted(() -> status(CANCELLED)
                .jsonPath("$.current.deploymentId").isEqualTo(next)
                .jsonPath("$.current.ref").isEqualTo("v3")
                .jsonPath("$.colours.green.status").isEqualTo("touched"));
    }

    @Test
    void aDeploymentThatWaitsForPromotionShowsItsPreviewToTestUntilACancelRejectsIt() {
        String deployment = request("/api/apps/" + GATED + "/deployments", "{\"ref\":\"v2\"}");
        kafka.awaitEvent(DeployRequested.class, deployment);
        publish(deployment, new DeploymentStarted(GATED, Colour.GREEN, "v2", List.of(322L)));
        publish(deployment, new EnvironmentProvisioned(GATED, Colour.GREEN, "v2", "2c2c2c2", List.of(322L), 9_000));
        publish(deployment, new EnvironmentHealthy(GATED, Colour.GREEN, "v2", "2c2c2c2",
                List.of(new DropletHealth(322, true, 3, "200 OK")), 4_000));
        publish(deployment, new AwaitingPromotion(GATED, Colour.BLUE, Colour.GREEN,
                List.of(PreviewDroplet.of(322, "http://127.0.0.1:8322"))));

        eventually().untilAsserted(() -> status(GATED)
                .jsonPath("$.phase").isEqualTo("awaiting-approval")
                .jsonPath("$.preview.colour").isEqualTo("green")
                .jsonPath("$.preview.droplets.length()").isEqualTo(1)
                .jsonPath("$.preview.droplets[0].dropletId").isEqualTo(322)
                .jsonPath("$.preview.droplets[0].address").isEqualTo("127.0.0.1")
                .jsonPath("$.preview.droplets[0].url").isEqualTo("http://127.0.0.1:8322"));
        http.get().uri("/api/deployments/" + deployment).exchange()
                .expectBody()
                .jsonPath("$.outcome").isEqualTo("awaiting-promotion")
                .jsonPath("$.preview[0].url").isEqualTo("http://127.0.0.1:8322")
                .jsonPath("$.steps[4].summary").isEqualTo(
                        "green is healthy and waits for promotion; preview: http://127.0.0.1:8322");

        request("/api/apps/" + GATED + "/deployments/" + deployment + "/cancel",
                "{\"reason\":\"the acceptance tests failed against the preview\"}");

        eventually().untilAsserted(() -> http.get().uri("/api/deployments/" + deployment).exchange()
                .expectBody()
                .jsonPath("$.outcome").isEqualTo("cancelled")
                .jsonPath("$.preview").doesNotExist());
        status(GATED).jsonPath("$.phase").isEqualTo("idle").jsonPath("$.liveColour").isEqualTo("blue");
    }

    private static ConditionFactory eventually() {
        return Awaitility.await().atMost(ENGINE_WAIT);
    }

    private static WebTestClient.BodyContentSpec status(String app) {
        return http.get().uri("/api/apps/" + app + "/status").exchange().expectStatus().isOk().expectBody();
    }

    private static String request(String uri, String json) {
        return http.post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange()
                .expectStatus().isAccepted()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody().get("deploymentId");
    }

    private static void publish(String deploymentId, dev.bluegreen.events.PipelineEvent event) {
        kafka.publish(Envelope.of("test", deploymentId, event));
    }
}

package dev.bluegreen.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.Disposables;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.DropletHealth;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.ProvisioningFailed;
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

/**
 * With {@code read-access: public}, anyone reads status, history, deployments and the stream, but sees nothing a
 * droplet printed: no step output, no outputTail, no excerpt of a probe's body. A token for the app still sees all.
 */
class PublicReadsTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };
    /** What a droplet might print: a secret the deploy-agent's masker cannot know. */
    private static final String DROPLET_SECRET = "postgres://shop:hunter2-7c1f@db.internal/shop";

    /** Apps of this test's own: one for a deployment's history, one whose state is what this test makes it. */
    static final String APP = RunningGateway.newApp("blog");
    static final String STATE_APP = RunningGateway.newApp("news");

    @TempDir
    static Path directory;

    static RunningGateway gateway;
    static EventLog kafka;

    private final Disposable.Composite subscriptions = Disposables.composite();

    @BeforeAll
    static void startGateway() {
        gateway = RunningGateway.start(directory, KafkaFixture.bootstrapServers(), List.of(APP, STATE_APP),
                "--bluegreen.gateway.read-access=public");
        kafka = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);
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

    @AfterEach
    void unsubscribe() {
        subscriptions.dispose();
    }

    @Test
    void anAnonymousStreamCarriesNoStepOutputNorProbeBodiesWhileATokenForTheAppSeesThem() {
        List<ServerSentEvent<String>> anonymous = subscribe(null);
        List<ServerSentEvent<String>> ci = subscribe(RunningGateway.SHOP_TOKEN);
        String deploymentId = UUID.randomUUID().toString();
        Envelope log = Envelope.of("deploy-agent", deploymentId, new DeploymentLog("shop", Colour.GREEN, 102,
                "migrate", 0, List.of("connecting to " + DROPLET_SECRET), false));
        Envelope failed = Envelope.of("deploy-agent", deploymentId, new ProvisioningFailed("shop", Colour.GREEN, "v2",
                "Step migrate failed with exit code 1", 102L, "migrate", 1, "could not reach " + DROPLET_SECRET));
        Envelope unhealthy = Envelope.of("health-monitor", UUID.randomUUID().toString(), new EnvironmentUnhealthy(
                "shop", Colour.GREEN, "v3", "Droplet 102 did not pass 3 health checks in a row within 60 s; last "
                        + "answer: 500 in 4 ms (OperationalError: " + DROPLET_SECRET + ")",
                List.of(new DropletHealth(102, false, 30, "500 in 4 ms (OperationalError: " + DROPLET_SECRET + ")")),
                60_000));
        Envelope last = Envelope.of("traffic-router", UUID.randomUUID().toString(),
                new TrafficSwitched("shop", Colour.BLUE, Colour.GREEN, List.of(102L), 800));
        // the feed is live once Kafka assigned it its partitions: until then, send again
        Awaitility.await().untilAsserted(() -> {
            List.of(log, failed, unhealthy, last).forEach(kafka::publish);
            assertThat(ids(ci)).contains(log.id(), failed.id(), unhealthy.id(), last.id());
        });
        Awaitility.await().untilAsserted(() -> assertThat(ids(anonymous)).contains(last.id()));

        assertThat(ids(anonymous)).contains(failed.id(), unhealthy.id()).doesNotContain(log.id());
        assertThat(data(anonymous)).noneMatch(data -> data.contains("hunter2"))
                .anyMatch(data -> data.contains("500 in 4 ms (body hidden)"))
                .anyMatch(data -> data.contains("Step migrate failed with exit code 1"));
        assertThat(data(ci)).anyMatch(data -> data.contains("connecting to " + DROPLET_SECRET))
                .anyMatch(data -> data.contains("could not reach " + DROPLET_SECRET));
    }

    @Test
    void anAnonymousReaderSeesHistoryAndStatusWithoutProbeBodies() {
        String deploymentId = UUID.randomUUID().toString();
        kafka.publish(Envelope.of("gateway", deploymentId, new DeployRequested(APP, "v4", null, "alice", "ci")));
        // provisioned first: the state machine takes a health verdict only while the deployment is checked (the view
        // showed "failed" from the events alone only as long as the engine had not yet written the app's state)
        kafka.publish(Envelope.of("deploy-agent", deploymentId, new EnvironmentProvisioned(APP, Colour.GREEN, "v4",
                "abc1234", List.of(331L, 332L), 900)));
        String reason = "Smoke check /checkout on droplet 331 failed: 200 in 5 ms, but the body lacks \"ok\" "
                + "(Traceback (most recent call last): " + DROPLET_SECRET + "); expected 200 with \"ok\"";
        kafka.publish(Envelope.of("health-monitor", deploymentId, new EnvironmentUnhealthy(APP, Colour.GREEN, "v4",
                reason, List.of(new DropletHealth(332, false, 3, "200 in 5 ms")), 60_000)));
        // The state as the lifecycle engine would write it for a deployment that failed so; of an app of its own,
        // which the engine, folding the lifecycle topic, never writes over.
        kafka.publishRaw(Topics.APP_STATES, STATE_APP, new AppStateCodec().write(new AppState(STATE_APP, Colour.BLUE,
                new ColourRecord(ColourStatus.LIVE, "v3", null, null),
                new ColourRecord(ColourStatus.TOUCHED, "v4", null, "d-4"), null, null,
                new Outcome("d-4", Operation.Kind.DEPLOYMENT, Outcome.Result.FAILED, reason, Instant.now()),
                List.of("d-4"), 2)));

        Awaitility.await().untilAsserted(() -> gateway.http().get().uri("/api/deployments/" + deploymentId)
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.outcome").isEqualTo("failed")
                .jsonPath("$.reason").isEqualTo("Smoke check /checkout on droplet 331 failed: 200 in 5 ms, but the "
                        + "body lacks \"ok\" (body hidden); expected 200 with \"ok\""));
        Awaitility.await().untilAsserted(() -> gateway.http().get().uri("/api/apps/" + STATE_APP + "/status")
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.last.deploymentId").isEqualTo("d-4"));

        for (String read : List.of("/api/deployments/" + deploymentId, "/api/apps/" + APP + "/deployments",
                "/api/apps/" + STATE_APP + "/status")) {
            assertThat(gateway.http().get().uri(read).exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody())
                    .as(read).contains("(body hidden)").doesNotContain("hunter2");
            assertThat(gateway.authorized().get().uri(read).exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody())
                    .as(read).contains("hunter2");
        }
    }

    @Test
    void anAnonymousReaderAndATokenForOneAppBothListEveryApp() {
        String every = "{\"apps\":" + List.of(APP, STATE_APP, "shop", "wiki").stream().sorted()
                .map(app -> "\"" + app + "\"").toList() + "}";
        gateway.http().get().uri("/api/apps").exchange()
                .expectStatus().isOk()
                .expectBody().json(every, true);
        gateway.http().get().uri("/api/apps").header(HttpHeaders.AUTHORIZATION, "Bearer " + RunningGateway.WIKI_TOKEN)
                .exchange()
                .expectStatus().isOk()
                .expectBody().json(every, true);
    }

    @Test
    void aWrongTokenIsStill401AndWritesStillNeedAToken() {
        gateway.http().get().uri("/api/apps/shop/status").header(HttpHeaders.AUTHORIZATION, "Bearer guessed")
                .exchange().expectStatus().isUnauthorized();
        gateway.http().post().uri("/api/apps/shop/deployments").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"ref\":\"v2\"}")
                .exchange().expectStatus().isUnauthorized();
    }

    private List<ServerSentEvent<String>> subscribe(String token) {
        List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
        WebClient.RequestHeadersSpec<?> request = WebClient.create(gateway.baseUrl()).get().uri("/api/events?app=shop")
                .accept(MediaType.TEXT_EVENT_STREAM);
        if (token != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        subscriptions.add(request.retrieve().bodyToFlux(SSE).subscribe(received::add));
        Awaitility.await().until(() -> !received.isEmpty());
        return received;
    }

    private static List<String> ids(List<ServerSentEvent<String>> stream) {
        return stream.stream().filter(event -> event.data() != null).map(ServerSentEvent::id).toList();
    }

    private static List<String> data(List<ServerSentEvent<String>> stream) {
        return stream.stream().filter(event -> event.data() != null).map(ServerSentEvent::data).toList();
    }
}

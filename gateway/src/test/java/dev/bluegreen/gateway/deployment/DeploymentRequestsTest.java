package dev.bluegreen.gateway.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.Topics;
import dev.bluegreen.gateway.RunningGateway;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

class DeploymentRequestsTest {

    private static final ParameterizedTypeReference<Map<String, String>> JSON_OBJECT =
            new ParameterizedTypeReference<>() {
            };

    @TempDir
    static Path directory;

    static RunningGateway gateway;
    static EventLog events;
    static WebTestClient http;

    @BeforeAll
    static void startGateway() {
        gateway = RunningGateway.start(directory, KafkaFixture.bootstrapServers());
        events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.DEPLOY_REQUESTS, Topics.ROLLBACK_REQUESTS);
        http = gateway.http();
    }

    @AfterAll
    static void stopGateway() {
        if (events != null) {
            events.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aDeployRequestBecomesDeployRequestedOnKafka() {
        Map<String, String> answer = http.post().uri("/api/apps/shop/deployments")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"ref\":\"v2\",\"requestedBy\":\"alice\"}")
                .exchange()
                .expectStatus().isAccepted()
                .expectHeader().location("/api/events?app=shop")
                .expectBody(JSON_OBJECT).returnResult().getResponseBody();

        assertThat(answer).containsEntry("app", "shop").containsEntry("ref", "v2")
                .containsEntry("events", "/api/events?app=shop").containsKey("deploymentId");
        Envelope published = events.awaitEvent(DeployRequested.class, answer.get("deploymentId"));
        assertThat(published.dataAs(DeployRequested.class)).isEqualTo(new DeployRequested("shop", "v2", null, "alice"));
        assertThat(published.source()).isEqualTo("gateway");
        assertThat(published.subject()).isEqualTo("shop");
    }

    @Test
    void aDeployRequestWithoutRequesterIsRequestedByTheApi() {
        String deploymentId = http.post().uri("/api/apps/shop/deployments")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"ref\":\"main\"}")
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody().get("deploymentId");

        assertThat(events.awaitEvent(DeployRequested.class, deploymentId).dataAs(DeployRequested.class).requestedBy())
                .isEqualTo("api");
    }

    @Test
    void aRollbackRequestBecomesRollbackRequested() {
        Map<String, String> answer = http.post().uri("/api/apps/shop/rollbacks")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"requestedBy\":\"bob\",\"reason\":\"checkout is slow\"}")
                .exchange()
                .expectStatus().isAccepted()
                .expectHeader().location("/api/events?app=shop")
                .expectBody(JSON_OBJECT).returnResult().getResponseBody();

        Envelope published = events.awaitEvent(RollbackRequested.class, answer.get("deploymentId"));
        assertThat(published.dataAs(RollbackRequested.class))
                .isEqualTo(new RollbackRequested("shop", "bob", "checkout is slow"));
    }

    @Test
    void aRollbackRequestNeedsNoBody() {
        String deploymentId = http.post().uri("/api/apps/shop/rollbacks")
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody().get("deploymentId");

        assertThat(events.awaitEvent(RollbackRequested.class, deploymentId).dataAs(RollbackRequested.class))
                .isEqualTo(new RollbackRequested("shop", "api", RollbackRequest.NO_REASON));
    }

    @Test
    void anUnknownAppIs404AndPublishesNothing() {
        http.post().uri("/api/apps/blog/deployments")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"ref\":\"v2\"}")
                .exchange()
                .expectStatus().isNotFound()
                .expectBody().json("{\"error\":\"No app named 'blog' is configured\"}", true);
        http.post().uri("/api/apps/blog/rollbacks")
                .exchange()
                .expectStatus().isNotFound()
                .expectBody().json("{\"error\":\"No app named 'blog' is configured\"}", true);

        // Whatever the gateway published would be on Kafka well before a later request's event arrives.
        String later = requestDeploymentOfShop();
        events.awaitEvent(DeployRequested.class, later);
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(events.events()).noneMatch(event -> event.subject().equals("blog")));
    }

    @Test
    void aRequestWithoutRefIs400WithAMessage() {
        http.post().uri("/api/apps/shop/deployments")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"requestedBy\":\"alice\"}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().json("{\"error\":\"ref must name a branch, tag or commit, such as \\\"v2\\\"\"}", true);
        http.post().uri("/api/apps/shop/deployments")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"ref\":\"  \"}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error").value(String.class,
                        error -> assertThat(error).contains("ref must name a branch, tag or commit"));
        http.post().uri("/api/apps/shop/deployments")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error").value(String.class,
                        error -> assertThat(error).contains("needs a JSON body"));
    }

    @Test
    void malformedJsonIs400WithoutAStackTrace() {
        String body = http.post().uri("/api/apps/shop/deployments")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"ref\": \"v2\"")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).startsWith("{\"error\":\"The request body is not valid JSON")
                .doesNotContain("Exception", "\tat ", "trace", "tools.jackson");
    }

    @Test
    void aRefWithSpacesIs400() {
        http.post().uri("/api/apps/shop/deployments")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"ref\":\"v2; rm -rf /\"}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().json("{\"error\":\"ref must not contain spaces or control characters\"}", true);
    }

    @Test
    void aRefThatGitWouldTakeForAnOptionIs400() {
        http.post().uri("/api/apps/shop/deployments")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"ref\":\"--upload-pack=/tmp/evil\"}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().json("{\"error\":\"ref must not start with '-'\"}", true);
    }

    private static String requestDeploymentOfShop() {
        return http.post().uri("/api/apps/shop/deployments")
                .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
                .bodyValue("{\"ref\":\"v3\"}")
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody().get("deploymentId");
    }
}

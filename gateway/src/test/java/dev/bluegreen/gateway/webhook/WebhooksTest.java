package dev.bluegreen.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Topics;
import dev.bluegreen.gateway.RunningGateway;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

class WebhooksTest {

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
    void aSignedPingIsAnswered200() {
        github(http, "ping", UUID.randomUUID().toString(), "{\"zen\":\"Keep it logically awesome.\"}")
                .expectStatus().isOk()
                .expectBody().jsonPath("$.outcome").isEqualTo("pong");
    }

    @Test
    void aSignedPushToTheAppsBranchBecomesDeployRequestedWithItsCommitAndPusher() {
        String commit = sha();
        Map<String, String> answer = github(http, "push", UUID.randomUUID().toString(),
                githubPush("refs/heads/main", commit, "alice"))
                .expectStatus().isAccepted()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody();

        assertThat(answer).containsEntry("outcome", "deploying").containsEntry("ref", "main")
                .containsEntry("commit", commit)
                .containsEntry("compare", "https://github.com/acme/shop/compare/0a1b2c3d4e5f...6f5e4d3c2b1a")
                .containsEntry("events", "/api/events?app=shop");
        Envelope published = events.awaitEvent(DeployRequested.class, answer.get("deploymentId"));
        assertThat(published.dataAs(DeployRequested.class))
                .isEqualTo(new DeployRequested("shop", "main", commit, "alice", "github webhook"));
    }

    @Test
    void aRedeliveredPushDoesNotDeployTwiceNotEvenAfterTheGatewayRestarted() {
        String delivery = UUID.randomUUID().toString();
        String push = githubPush("refs/heads/main", sha(), "alice");
        String deploymentId = github(http, "push", delivery, push).expectStatus().isAccepted()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody().get("deploymentId");
        events.awaitEvent(DeployRequested.class, deploymentId);

        github(http, "push", delivery, push).expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.outcome").isEqualTo("already-received")
                .jsonPath("$.deploymentId").isEqualTo(deploymentId);
        // Two gateways in one JVM share Netty's event loops, which the first to stop takes down: restart instead.
        gateway.close();
        gateway = RunningGateway.start(directory, KafkaFixture.bootstrapServers());
        http = gateway.http();
        // At once: the new instance answers webhooks only once it has read what is on Kafka.
        github(http, "push", delivery, push).expectStatus().isAccepted()
                .expectBody().jsonPath("$.outcome").isEqualTo("already-received");

        assertNothingMorePublished(event -> event.deploymentId().equals(deploymentId), 1);
    }

    @Test
    void pushesToOtherBranchesTagsAndBranchDeletionsAreNotDeployedAndSayWhy() {
        String otherBranch = sha();
        github(http, "push", UUID.randomUUID().toString(), githubPush("refs/heads/feature/login", otherBranch, "bob"))
                .expectStatus().isAccepted()
                .expectBody().json("{\"outcome\":\"ignored\",\"reason\":\"Pushes to 'feature/login' are not deployed; "
                        + "'shop' deploys pushes to main\"}", true);
        String tag = sha();
        // shop has no tags setting here: see TagPushesTest
        github(http, "push", UUID.randomUUID().toString(), githubPush("refs/tags/v9", tag, "bob"))
                .expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.outcome").isEqualTo("ignored")
                .jsonPath("$.reason").isEqualTo("Tag pushes do not deploy 'shop'; set bluegreen.gateway.webhooks.shop"
                        + ".tags, such as [\"v*\"], to deploy the tags that match");
        github(http, "push", UUID.randomUUID().toString(), """
                {"ref":"refs/heads/main","before":"%s","after":"0000000000000000000000000000000000000000",
                 "deleted":true,"pusher":{"name":"bob"}}""".formatted(sha()))
                .expectStatus().isAccepted()
                .expectBody().json("{\"outcome\":\"ignored\",\"reason\":\"The branch 'main' was deleted: nothing to "
                        + "deploy\"}", true);
        github(http, "issues", UUID.randomUUID().toString(), "{\"action\":\"opened\"}")
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.reason").isEqualTo(
                        "GitHub 'issues' events are not handled; only push events deploy");

        assertNothingMorePublished(event -> event.dataAs(DeployRequested.class).requestedBy().equals("bob"), 0);
    }

    @Test
    void aPushWithAWrongOrMissingSignatureIs401AndPublishesNothing() {
        String body = githubPush("refs/heads/main", sha(), "mallory");
        http.post().uri("/api/webhooks/github/shop")
                .header("X-GitHub-Event", "push").header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody().json("{\"error\":\"The webhook's signature does not match\"}", true);
        http.post().uri("/api/webhooks/github/shop")
                .header("X-GitHub-Event", "push").header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", signature("another-secret", body))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isUnauthorized();
        // Signed, then changed on the way: the signature covers the exact bytes.
        http.post().uri("/api/webhooks/github/shop")
                .header("X-GitHub-Event", "push").header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", signature(RunningGateway.GITHUB_SECRET, body))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body + " ")
                .exchange()
                .expectStatus().isUnauthorized();
        // wiki takes GitLab webhooks only: no GitHub secret is configured for it.
        String wikiBody = githubPush("refs/heads/trunk", sha(), "mallory");
        http.post().uri("/api/webhooks/github/wiki")
                .header("X-GitHub-Event", "push").header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", signature(RunningGateway.GITHUB_SECRET, wikiBody))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(wikiBody)
                .exchange()
                .expectStatus().isUnauthorized();

        assertNothingMorePublished(event -> event.dataAs(DeployRequested.class).requestedBy().equals("mallory"), 0);
    }

    @Test
    void aSignedBodyThatIsNotJsonIs400() {
        github(http, "push", UUID.randomUUID().toString(), "payload=%7B%22ref%22")
                .expectStatus().isBadRequest()
                .expectBody().json("{\"error\":\"The webhook's body is not a JSON object; set the webhook's content "
                        + "type to application/json\"}", true);
    }

    @Test
    void aWebhookForAnAppThatIsNotConfiguredGetsTheSame401AsABadSignatureSoItTellsNoAppsName() {
        String body = githubPush("refs/heads/main", sha(), "mallory");
        byte[] badSignature = http.post().uri("/api/webhooks/github/shop")
                .header("X-GitHub-Event", "push").header("X-Hub-Signature-256", signature("guessed", body))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody().returnResult().getResponseBody();

        for (String app : List.of("blog", "..%2Fshop", "sh%D0%BEp")) {
            byte[] unknownApp = http.post().uri(URI.create(gateway.baseUrl() + "/api/webhooks/github/" + app))
                    .header("X-GitHub-Event", "push")
                    .header("X-Hub-Signature-256", signature(RunningGateway.GITHUB_SECRET, body))
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange()
                    .expectStatus().isUnauthorized()
                    .expectBody().returnResult().getResponseBody();
            assertThat(unknownApp).as("the answer for %s", app).isEqualTo(badSignature);
        }
        http.post().uri("/api/webhooks/gitlab/blog")
                .header("X-Gitlab-Event", "Push Hook").header("X-Gitlab-Token", RunningGateway.GITLAB_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(gitlabPush("refs/heads/main", sha(), sha(), "mallory"))
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody().json("{\"error\":\"The webhook's token does not match\"}", true);

        assertNothingMorePublished(event -> event.dataAs(DeployRequested.class).requestedBy().equals("mallory"), 0);
    }

    @Test
    void aCapturedPushSentAgainUnderANewDeliveryIdNeverDeploysAgainNorTakesTheBranchBackAlsoAfterARestart() {
        String a = sha();
        String b = sha();
        String c = sha();
        String d = sha();
        String e = sha();
        String first = githubPush("refs/heads/main", a, b, "alice");
        String second = githubPush("refs/heads/main", b, c, "alice");
        String firstId = deploying(github(http, "push", UUID.randomUUID().toString(), first));
        String secondId = deploying(github(http, "push", UUID.randomUUID().toString(), second));
        events.awaitEvent(DeployRequested.class, secondId);

        // Sent again as captured, under a delivery id of the sender's choosing, or none.
        github(http, "push", UUID.randomUUID().toString(), first).expectStatus().isAccepted()
                .expectBody().jsonPath("$.outcome").isEqualTo("not-newest")
                .jsonPath("$.reason").isEqualTo("The branch main has moved on from " + b + " since; only its newest "
                        + "commit is deployed. To deploy an older commit, ask for it through the API");
        signedWithoutDelivery(first).expectStatus().isAccepted()
                .expectBody().jsonPath("$.outcome").isEqualTo("not-newest");
        github(http, "push", UUID.randomUUID().toString(), second).expectStatus().isAccepted()
                .expectBody().jsonPath("$.outcome").isEqualTo("already-received")
                .jsonPath("$.deploymentId").isEqualTo(secondId);
        // A push that came late, after the one that followed it: the branch has moved on from its commit.
        String fifthId = deploying(github(http, "push", UUID.randomUUID().toString(),
                githubPush("refs/heads/main", d, e, "alice")));
        github(http, "push", UUID.randomUUID().toString(), githubPush("refs/heads/main", c, d, "alice"))
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.outcome").isEqualTo("not-newest");
        events.awaitEvent(DeployRequested.class, fifthId);

        // Two gateways in one JVM share Netty's event loops, which the first to stop takes down: restart instead.
        gateway.close();
        gateway = RunningGateway.start(directory, KafkaFixture.bootstrapServers());
        http = gateway.http();
        github(http, "push", UUID.randomUUID().toString(), first).expectStatus().isAccepted()
                .expectBody().jsonPath("$.outcome").isEqualTo("not-newest");
        github(http, "push", UUID.randomUUID().toString(), second).expectStatus().isAccepted()
                .expectBody().jsonPath("$.outcome").isEqualTo("not-newest");

        assertNothingMorePublished(event -> event.data() instanceof DeployRequested request
                && List.of(b, c, d).contains(request.commit()), 2);
        assertThat(events.events()).filteredOn(event -> event.data() instanceof DeployRequested)
                .extracting(Envelope::deploymentId).containsOnlyOnce(firstId, secondId, fifthId);
    }

    @Test
    void aGitLabPushWithTheRightTokenBecomesDeployRequestedWithACompareLink() {
        String before = sha();
        String after = sha();
        Map<String, String> answer = gitlab("Push Hook", RunningGateway.GITLAB_TOKEN,
                gitlabPush("refs/heads/trunk", before, after, "dave"))
                .expectStatus().isAccepted()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody();

        assertThat(answer).containsEntry("outcome", "deploying")
                .containsEntry("compare", "https://gitlab.com/acme/wiki/-/compare/" + before + "..." + after);
        assertThat(events.awaitEvent(DeployRequested.class, answer.get("deploymentId")).dataAs(DeployRequested.class))
                .isEqualTo(new DeployRequested("wiki", "trunk", after, "dave", "gitlab webhook"));
    }

    @Test
    void gitLabPushesWithAWrongTokenOrNotToTheBranchAreNotDeployed() {
        gitlab("Push Hook", "wrong-token", gitlabPush("refs/heads/trunk", sha(), sha(), "erin"))
                .expectStatus().isUnauthorized()
                .expectBody().json("{\"error\":\"The webhook's token does not match\"}", true);
        gitlab("Push Hook", null, gitlabPush("refs/heads/trunk", sha(), sha(), "erin"))
                .expectStatus().isUnauthorized();
        gitlab("Push Hook", RunningGateway.GITLAB_TOKEN, gitlabPush("refs/heads/main", sha(), sha(), "erin"))
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.reason").isEqualTo(
                        "Pushes to 'main' are not deployed; 'wiki' deploys pushes to trunk");
        gitlab("Tag Push Hook", RunningGateway.GITLAB_TOKEN, gitlabPush("refs/tags/v1", sha(), sha(), "erin"))
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.reason").isEqualTo("Tag pushes do not deploy 'wiki'; set "
                        + "bluegreen.gateway.webhooks.wiki.tags, such as [\"v*\"], to deploy the tags that match");
        gitlab("Push Hook", RunningGateway.GITLAB_TOKEN,
                gitlabPush("refs/heads/trunk", sha(), "0000000000000000000000000000000000000000", "erin")
                        .replace("\"checkout_sha\":\"x\"", "\"checkout_sha\":null"))
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.reason").isEqualTo("The branch 'trunk' was deleted: nothing to deploy");

        assertNothingMorePublished(event -> event.dataAs(DeployRequested.class).requestedBy().equals("erin"), 0);
    }

    @Test
    void noTokenSecretOrSignatureEverReachesTheLog() {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        root.addAppender(logged);
        String guessedToken = "guessed-token-0c41";
        String body = githubPush("refs/heads/main", sha(), "alice");
        try {
            github(http, "push", UUID.randomUUID().toString(), body).expectStatus().isAccepted();
            http.post().uri("/api/webhooks/github/shop")
                    .header("X-GitHub-Event", "push").header("X-Hub-Signature-256", signature(guessedToken, body))
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange().expectStatus().isUnauthorized();
            http.post().uri("/api/webhooks/github/wiki")
                    .header("X-GitHub-Event", "push").header("X-Hub-Signature-256", signature(guessedToken, body))
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange().expectStatus().isUnauthorized();
            gitlab("Push Hook", guessedToken, gitlabPush("refs/heads/trunk", sha(), sha(), "erin"))
                    .expectStatus().isUnauthorized();
            gitlab("Push Hook", RunningGateway.GITLAB_TOKEN, gitlabPush("refs/heads/trunk", sha(), sha(), "dave"))
                    .expectStatus().isAccepted();
            gateway.authorized().post().uri("/api/apps/shop/deployments").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"ref\":\"v2\"}").exchange().expectStatus().isAccepted();
            http.post().uri("/api/apps/shop/rollbacks").header("Authorization", "Bearer " + guessedToken)
                    .exchange().expectStatus().isUnauthorized();
        } finally {
            root.detachAppender(logged);
        }

        List<String> lines = logged.list.stream().map(event -> event.getFormattedMessage()
                + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage())).toList();
        assertThat(lines).anyMatch(line -> line.contains("alice pushed"))
                .anyMatch(line -> line.contains("A GitHub webhook for wiki was refused"));
        assertThat(String.join("\n", lines)).doesNotContain(RunningGateway.GITHUB_SECRET,
                RunningGateway.GITLAB_TOKEN, RunningGateway.SHOP_TOKEN, RunningGateway.WIKI_TOKEN, guessedToken,
                signature(guessedToken, body).substring(7, 40), signature(RunningGateway.GITHUB_SECRET, body)
                        .substring(7, 40));
    }

    /**
     * Whatever the gateway published would be on Kafka well before the event of a later push; then exactly
     * {@code expected} events match.
     */
    private static void assertNothingMorePublished(java.util.function.Predicate<Envelope> matching, int expected) {
        String later = github(http, "push", UUID.randomUUID().toString(), githubPush("refs/heads/main", sha(), "zed"))
                .expectStatus().isAccepted()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody().get("deploymentId");
        events.awaitEvent(DeployRequested.class, later);
        assertThat(events.events()).filteredOn(matching).hasSize(expected);
    }

    private static WebTestClient.ResponseSpec github(WebTestClient client, String event, String delivery,
            String body) {
        return client.post().uri("/api/webhooks/github/shop")
                .header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", delivery)
                .header("X-Hub-Signature-256", signature(RunningGateway.GITHUB_SECRET, body))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private static WebTestClient.ResponseSpec gitlab(String event, String token, String body) {
        WebTestClient.RequestBodySpec request = http.post().uri("/api/webhooks/gitlab/wiki")
                .header("X-Gitlab-Event", event)
                .header("X-Gitlab-Event-UUID", UUID.randomUUID().toString());
        if (token != null) {
            request = request.header("X-Gitlab-Token", token);
        }
        return request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    static String signature(String secret, String body) {
        return "sha256=" + HexFormat.of().formatHex(WebhookSecrets.hmacSha256(
                secret.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String githubPush(String ref, String after, String pusher) {
        return githubPush(ref, "0a1b2c3d4e5f", after, pusher);
    }

    private static String githubPush(String ref, String before, String after, String pusher) {
        return """
                {"ref":"%s","before":"%s","after":"%s","created":false,"deleted":false,
                 "compare":"https://github.com/acme/shop/compare/0a1b2c3d4e5f...6f5e4d3c2b1a",
                 "pusher":{"name":"%s","email":"%s@example.com"},
                 "head_commit":{"id":"%s","timestamp":"2026-12-04T10:15:03+01:00",
                  "author":{"name":"A. Author","username":"author"}},
                 "repository":{"full_name":"acme/shop"}}""".formatted(ref, before, after, pusher, pusher, after);
    }

    private static String deploying(WebTestClient.ResponseSpec answer) {
        Map<String, String> body = answer.expectStatus().isAccepted().expectBody(JSON_OBJECT).returnResult()
                .getResponseBody();
        assertThat(body).containsEntry("outcome", "deploying");
        return body.get("deploymentId");
    }

    private static WebTestClient.ResponseSpec signedWithoutDelivery(String body) {
        return http.post().uri("/api/webhooks/github/shop")
                .header("X-GitHub-Event", "push")
                .header("X-Hub-Signature-256", signature(RunningGateway.GITHUB_SECRET, body))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private static String gitlabPush(String ref, String before, String after, String user) {
        return """
                {"object_kind":"push","ref":"%s","before":"%s","after":"%s","checkout_sha":"x",
                 "user_name":"D. User","user_username":"%s",
                 "project":{"web_url":"https://gitlab.com/acme/wiki"}}""".formatted(ref, before, after, user);
    }

    private static String sha() {
        return UUID.randomUUID().toString().replace("-", "") + "01234567";
    }
}

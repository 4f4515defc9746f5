package dev.bluegreen.gateway.webhook;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;


/**
 * The git hosts' push webhooks, for branch and tag pushes: {@code POST /api/webhooks/github/{app}} and
 * {@code POST /api/webhooks/gitlab/{app}}. Each delivery is verified before its body is even parsed, and a delivery for
 * an app that is not configured gets the same 401 as a bad signature. A body whose JSON repeats a key is refused: the
 * gateway and whoever else reads it could take different values from it.
 */
@RestController
@RequestMapping("/api/webhooks")
class WebhookController {

    private static final byte[] NO_BODY = new byte[0];

    private final WebhookSecrets secrets;
    private final PushDeployer deployer;
    private final JsonMapper json = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    WebhookController(WebhookSecrets secrets, PushDeployer deployer) {
        this.secrets = secrets;
        this.deployer = deployer;
    }

    @PostMapping("/github/{app}")
    Mono<ResponseEntity<WebhookAnswer>> github(@PathVariable String app,
            @RequestHeader(name = "X-GitHub-Event", required = false) @Nullable String event,
            @RequestHeader(name = "X-Hub-Signature-256", required = false) @Nullable String signature,
            @RequestBody(required = false) byte @Nullable [] body) {
        byte[] raw = body == null ? NO_BODY : body;
        secrets.verifyGitHub(app, signature, raw);
        if ("ping".equals(event)) {
            return Mono.just(ResponseEntity.ok(new WebhookAnswer("pong", "The webhook reaches the gateway",
                    null, null, null, null, null)));
        }
        if (!"push".equals(event)) {
            return ignored("GitHub '" + event + "' events are not handled; only push events deploy");
        }
        JsonNode payload = parse(raw);
        String ref = payload.path("ref").asString("");
        String after = payload.path("after").asString(null);
        // For a tag, 'after' may be an annotated tag's own object; head_commit is the commit it tags.
        String commit = ref.startsWith(Push.TAG_PREFIX) ? payload.path("head_commit").path("id").asString(after)
                : after;
        Push push = new Push("github", ref, commit, payload.path("before").asString(null),
                payload.path("deleted").asBoolean(false),
                payload.path("compare").asString(null),
                firstOf(payload.path("pusher").path("name").asString(""),
                        payload.path("head_commit").path("author").path("username").asString("")));
        return deployer.deploy(app, push).map(WebhookController::answer);
    }

    @PostMapping("/gitlab/{app}")
    Mono<ResponseEntity<WebhookAnswer>> gitlab(@PathVariable String app,
            @RequestHeader(name = "X-Gitlab-Event", required = false) @Nullable String event,
            @RequestHeader(name = "X-Gitlab-Token", required = false) @Nullable String token,
            @RequestBody(required = false) byte @Nullable [] body) {
        secrets.verifyGitLab(app, token);
        if (!"Push Hook".equals(event) && !"Tag Push Hook".equals(event)) {
            return ignored("GitLab '" + event + "' events are not handled; only push and tag push events deploy");
        }
        JsonNode payload = parse(body == null ? NO_BODY : body);
        String ref = payload.path("ref").asString("");
        String before = payload.path("before").asString("");
        String after = payload.path("after").asString(null);
        String project = payload.path("project").path("web_url").asString("");
        boolean tag = ref.startsWith(Push.TAG_PREFIX);
        // For a tag, 'after' may be an annotated tag's own object; checkout_sha is the commit it tags.
        String commit = tag ? payload.path("checkout_sha").asString(after) : after;
        String compare = project.isEmpty() ? null
                : tag ? project + "/-/tags/" + ref.substring(Push.TAG_PREFIX.length())
                : before.isEmpty() || after == null ? null : project + "/-/compare/" + before + "..." + after;
        Push push = new Push("gitlab", ref, commit, before, payload.path("checkout_sha").isNull(), compare,
                firstOf(payload.path("user_username").asString(""), payload.path("user_name").asString("")));
        return deployer.deploy(app, push).map(WebhookController::answer);
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode payload = json.readTree(body);
            if (payload != null && payload.isObject()) {
                return payload;
            }
        } catch (JacksonException e) {
            // answered below, without the parser's details
        }
        throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                "The webhook's body is not a JSON object; set the webhook's content type to application/json");
    }

    private static Mono<ResponseEntity<WebhookAnswer>> ignored(String reason) {
        return Mono.just(ResponseEntity.accepted().body(WebhookAnswer.ignored(reason)));
    }

    private static ResponseEntity<WebhookAnswer> answer(WebhookAnswer answer) {
        return ResponseEntity.accepted().body(answer);
    }

    private static String firstOf(String first, String second) {
        return first.isBlank() ? second : first;
    }
}

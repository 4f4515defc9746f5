package dev.bluegreen.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import dev.bluegreen.apps.BadSetting;
import dev.bluegreen.apps.GitRef;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.gateway.deployment.DeploymentController;
import dev.bluegreen.gateway.deployment.RequestPublisher;
import dev.bluegreen.gateway.status.DeploymentProjection;
import dev.bluegreen.gateway.status.PushedCommits;

/**
 * Turns a verified push of a branch or a tag into DeployRequested, or says why not ({@link DeployedRefs}); a push
 * that deletes a branch or a tag never deploys. A push is known by what its host signs, the app, the ref and the
 * commit, never by the unsigned delivery header: the same push sent again, whether the host redelivers it or someone
 * replays a captured delivery under a new id, names the same deployment and deploys nothing, and a push of a commit the
 * ref has since moved on from deploys nothing either ({@link PushedCommits}). What the gateway knows of pushes is read
 * from Kafka on every start, so this holds across restarts.
 */
@Component
class PushDeployer {

    private static final Logger log = LoggerFactory.getLogger(PushDeployer.class);
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\p{Cf}]");

    private final DeployedRefs refs;
    private final RequestPublisher publisher;
    private final DeploymentProjection projection;
    private final Duration historyWait;

    PushDeployer(DeployedRefs refs, RequestPublisher publisher, DeploymentProjection projection,
            WebhookProperties settings) {
        this.refs = refs;
        this.publisher = publisher;
        this.projection = projection;
        this.historyWait = settings.webhookHistoryWait();
        if (historyWait.isNegative() || historyWait.compareTo(WebhookProperties.LONGEST_HISTORY_WAIT) > 0) {
            throw new BadSetting("bluegreen.gateway.webhook-history-wait", "bluegreen.gateway.webhook-history-wait is "
                    + historyWait.toMillis() + " ms, longer than a git host waits for an answer",
                    "Set bluegreen.gateway.webhook-history-wait to at most "
                            + WebhookProperties.LONGEST_HISTORY_WAIT.toSeconds() + "s: GitHub gives up on a delivery "
                            + "after 10 s and never retries it.");
        }
    }

    Mono<WebhookAnswer> deploy(String app, Push push) {
        if (!push.isBranch() && !push.isTag()) {
            return ignore(app, push, "Only branch and tag pushes are deployed, not '" + clean(push.ref()) + "'");
        }
        String name = push.name();
        if (push.removesRef()) {
            return ignore(app, push, "The " + push.kind() + " '" + clean(name) + "' was deleted: nothing to deploy");
        }
        Optional<String> notDeployed = push.isTag() ? refs.whyNotTag(app, name) : refs.whyNotBranch(app, name);
        if (notDeployed.isPresent()) {
            return ignore(app, push, clean(notDeployed.get()));
        }
        Optional<String> broken = GitRef.brokenRule(name);
        if (broken.isPresent()) {
            log.warn("A {} push to a {} of {} is never deployed: its name {}.", push.host(), push.kind(), app,
                    broken.get());
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "The pushed " + push.kind() + " is never "
                    + "deployed: a ref " + broken.get());
        }
        if (!GitRef.isCommitId(push.commit())) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "The pushed commit is not a commit id (7 to 64 hex digits)");
        }
        // Until the history is read, a push sent again would look new. GitHub gives up after 10 s and never retries:
        // answer within that, 503 with Retry-After, rather than let the delivery fail unanswered.
        return projection.whenCaughtUp(historyWait).then(Mono.defer(() -> deployNewest(app, push, name)));
    }

    /** @param name the branch or tag, which becomes the deployment's ref */
    private Mono<WebhookAnswer> deployNewest(String app, Push push, String name) {
        String commit = push.commit();
        String deploymentId = deploymentId(app, name, commit);
        PushedCommits.Known known = projection.pushedCommits().claim(app, name, commit, push.before());
        if (known == PushedCommits.Known.NEWEST) {
            return Mono.just(new WebhookAnswer("already-received", "This push of " + commit + " to " + name
                    + " was received before; it is not deployed twice", deploymentId, name, commit, push.compare(),
                    events(app)));
        }
        if (known == PushedCommits.Known.OLDER) {
            log.warn("A {} push of {} to {} of {} is not deployed: {} has moved on from that commit since. A delivery "
                    + "sent again late, or replayed.", push.host(), commit, name, app, name);
            return Mono.just(new WebhookAnswer("not-newest", "The " + push.kind() + " " + name + " has moved on from "
                    + commit + " since; only its newest commit is deployed. To deploy an older commit, ask for it "
                    + "through the API", null, name, commit, push.compare(), events(app)));
        }
        String requester = requester(push);
        String pushed = push.isTag() ? "pushed the tag " + name : "pushed to " + name;
        DeployRequested event = new DeployRequested(app, name, commit, requester, push.actor());
        return publisher.publish(Envelope.of(DeploymentController.SOURCE, deploymentId, event), "push")
                .doOnError(failure -> projection.pushedCommits().release(app, name, commit))
                .map(envelope -> {
                    log.info("{} {} of {} at {} ({}): deployment {} is requested.", requester, pushed, app, commit,
                            push.compare() == null ? "no compare link" : clean(push.compare()), deploymentId);
                    return new WebhookAnswer("deploying", requester + " " + pushed, deploymentId, name, commit,
                            push.compare(), events(app));
                });
    }

    private Mono<WebhookAnswer> ignore(String app, Push push, String reason) {
        log.info("A {} push to {} of {} is not deployed: {}", push.host(), clean(push.ref()), app, reason);
        return Mono.just(WebhookAnswer.ignored(reason));
    }

    /** The same for every delivery of one push, by any host: what is signed, not what is sent beside it. */
    private static String deploymentId(String app, String ref, String commit) {
        return UUID.nameUUIDFromBytes(("push:" + app + ":" + ref + ":" + commit).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static String requester(Push push) {
        String name = clean(push.pusher()).strip();
        if (name.isEmpty()) {
            return push.host();
        }
        return name.length() > 100 ? name.substring(0, 100) : name;
    }

    /** Payload text reaches the logs: no control character may forge a log line. */
    private static String clean(String text) {
        return CONTROL.matcher(text).replaceAll("?");
    }

    private static String events(String app) {
        return "/api/events?app=" + app;
    }
}

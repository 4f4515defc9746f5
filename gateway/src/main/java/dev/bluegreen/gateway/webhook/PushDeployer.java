package dev.bluegreen.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.gateway.deployment.DeploymentController;
import dev.bluegreen.gateway.deployment.RequestPublisher;
import dev.bluegreen.gateway.status.DeploymentProjection;

/**
 * Turns a verified push of a branch or a tag into DeployRequested, or says why not ({@link DeployedRefs}); a push
 * that deletes a branch or a tag never deploys. The deployment id is derived from the host's delivery id, so a
 * redelivery names the same deployment: it is recognised from the deployments read from Kafka (so also after a
 * restart, while the deployment is in the app's kept history) and from the last deliveries this instance took.
 */
@Component
class PushDeployer {

    private static final Logger log = LoggerFactory.getLogger(PushDeployer.class);
    private static final int REMEMBERED_DELIVERIES = 10_000;
    private static final Duration HISTORY_WAIT = Duration.ofSeconds(30);
    private static final Pattern SAFE_REF = Pattern.compile("[^\\s\\p{Cntrl}]{1,255}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private final DeployedRefs refs;
    private final RequestPublisher publisher;
    private final DeploymentProjection projection;
    private final Set<String> taken = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_DELIVERIES;
        }
    });

    PushDeployer(DeployedRefs refs, RequestPublisher publisher, DeploymentProjection projection) {
        this.refs = refs;
        this.publisher = publisher;
        this.projection = projection;
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
        if (!SAFE_REF.matcher(name).matches() || name.startsWith("-")
                || !SAFE_REF.matcher(push.commit()).matches() || push.commit().startsWith("-")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "The pushed ref or commit holds characters that are never deployed");
        }
        String deploymentId = deploymentId(app, push);
        // Until the history is read, a redelivery of an old push would look new.
        return projection.whenCaughtUp(HISTORY_WAIT).then(Mono.defer(() -> deployOnce(app, push, name,
                deploymentId)));
    }

    /** @param name the branch or tag, which becomes the deployment's ref */
    private Mono<WebhookAnswer> deployOnce(String app, Push push, String name, String deploymentId) {
        if (!firstDelivery(deploymentId)) {
            return Mono.just(new WebhookAnswer("already-received", "This delivery was received before; it is not "
                    + "deployed twice", deploymentId, name, push.commit(), push.compare(), events(app)));
        }
        String requester = requester(push);
        String pushed = push.isTag() ? "pushed the tag " + name : "pushed to " + name;
        DeployRequested event = new DeployRequested(app, name, push.commit(), requester);
        return publisher.publish(Envelope.of(DeploymentController.SOURCE, deploymentId, event), "push")
                .doOnError(failure -> forget(deploymentId))
                .map(envelope -> {
                    log.info("{} {} of {} at {} ({}): deployment {} is requested.", requester, pushed, app,
                            push.commit(), push.compare() == null ? "no compare link" : clean(push.compare()),
                            deploymentId);
                    return new WebhookAnswer("deploying", requester + " " + pushed, deploymentId, name,
                            push.commit(), push.compare(), events(app));
                });
    }

    private Mono<WebhookAnswer> ignore(String app, Push push, String reason) {
        log.info("A {} push to {} of {} is not deployed: {}", push.host(), clean(push.ref()), app, reason);
        return Mono.just(WebhookAnswer.ignored(reason));
    }

    private boolean firstDelivery(String deploymentId) {
        if (projection.deployment(deploymentId).isPresent()) {
            return false;
        }
        synchronized (taken) {
            return taken.add(deploymentId);
        }
    }

    private void forget(String deploymentId) {
        synchronized (taken) {
            taken.remove(deploymentId);
        }
    }

    private static String deploymentId(String app, Push push) {
        String delivery = push.deliveryId() == null || push.deliveryId().isBlank() ? UUID.randomUUID().toString()
                : push.deliveryId();
        return UUID.nameUUIDFromBytes((push.host() + ":" + app + ":" + delivery).getBytes(StandardCharsets.UTF_8))
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

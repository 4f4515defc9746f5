package dev.bluegreen.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Turns a verified push into DeployRequested, or says why not. The deployment id is derived from the host's delivery
 * id, so a redelivery names the same deployment: it is recognised from the deployments read from Kafka (so also
 * after a restart, while the deployment is in the app's kept history) and from the last deliveries this instance
 * took.
 */
@Component
class PushDeployer {

    private static final Logger log = LoggerFactory.getLogger(PushDeployer.class);
    private static final int REMEMBERED_DELIVERIES = 10_000;
    private static final Duration HISTORY_WAIT = Duration.ofSeconds(30);
    private static final Pattern SAFE_REF = Pattern.compile("[^\\s\\p{Cntrl}]{1,255}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private final WebhookSecrets secrets;
    private final RequestPublisher publisher;
    private final DeploymentProjection projection;
    private final Set<String> taken = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_DELIVERIES;
        }
    });

    PushDeployer(WebhookSecrets secrets, RequestPublisher publisher, DeploymentProjection projection) {
        this.secrets = secrets;
        this.publisher = publisher;
        this.projection = projection;
    }

    Mono<WebhookAnswer> deploy(String app, Push push) {
        if (push.ref().startsWith(Push.TAG_PREFIX)) {
            return ignore(app, push, "A tag push is not deployed; '" + app + "' deploys pushes to its branch");
        }
        if (!push.ref().startsWith(Push.BRANCH_PREFIX)) {
            return ignore(app, push, "Only branch pushes are deployed, not '" + clean(push.ref()) + "'");
        }
        String branch = push.ref().substring(Push.BRANCH_PREFIX.length());
        if (push.deleted() || push.commit() == null || push.commit().matches("0+")) {
            return ignore(app, push, "The branch '" + clean(branch) + "' was deleted: nothing to deploy");
        }
        List<String> branches = secrets.branches(app);
        if (!branches.contains(branch)) {
            return ignore(app, push, "Pushes to '" + clean(branch) + "' are not deployed; '" + app
                    + "' deploys pushes to " + String.join(", ", branches));
        }
        if (!SAFE_REF.matcher(branch).matches() || branch.startsWith("-")
                || !SAFE_REF.matcher(push.commit()).matches() || push.commit().startsWith("-")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "The pushed ref or commit holds characters that are never deployed");
        }
        String deploymentId = deploymentId(app, push);
        // Until the history is read, a redelivery of an old push would look new.
        return projection.whenCaughtUp(HISTORY_WAIT).then(Mono.defer(() -> deployOnce(app, push, branch,
                deploymentId)));
    }

    private Mono<WebhookAnswer> deployOnce(String app, Push push, String branch, String deploymentId) {
        if (!firstDelivery(deploymentId)) {
            return Mono.just(new WebhookAnswer("already-received", "This delivery was received before; it is not "
                    + "deployed twice", deploymentId, branch, push.commit(), push.compare(), events(app)));
        }
        String requester = requester(push);
        DeployRequested event = new DeployRequested(app, branch, push.commit(), requester);
        return publisher.publish(Envelope.of(DeploymentController.SOURCE, deploymentId, event), "push")
                .doOnError(failure -> forget(deploymentId))
                .map(envelope -> {
                    log.info("{} pushed {} to {} of {} ({}): deployment {} is requested.", requester, push.commit(),
                            branch, app, push.compare() == null ? "no compare link" : clean(push.compare()),
                            deploymentId);
                    return new WebhookAnswer("deploying", requester + " pushed to " + branch, deploymentId, branch,
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

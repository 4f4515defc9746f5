package dev.bluegreen.gateway.deployment;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.validation.Valid;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.GitRef;
import dev.bluegreen.events.CancelRequested;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.PromoteRequested;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.gateway.access.ApiTokens;
import dev.bluegreen.gateway.status.DeploymentProjection;
import dev.bluegreen.gateway.status.DeploymentView;

/**
 * Turns deploy, rollback, promote and cancel requests into events on the lifecycle topic; each needs a token for the
 * app, whose name each event records as its actor (the body's {@code requestedBy} is a note beside it, which the
 * token's holder may set to any name). A deploy's ref must follow {@link GitRef}'s rules. Each deploy or rollback request gets a new id of its own (a rollback never reuses the id of the deployment it
 * undoes); a promote or a cancel names the deployment it is for. The answer is {@code 202 Accepted} once Kafka holds
 * the event, and points at the event stream where the rest will show: the state machine, which every service runs,
 * accepts or refuses each request in the app's order.
 */
@RestController
@RequestMapping("/api/apps/{app}")
public class DeploymentController {

    public static final String SOURCE = "gateway";

    private static final Logger log = LoggerFactory.getLogger(DeploymentController.class);
    private static final Duration HISTORY_WAIT = Duration.ofSeconds(30);
    private static final Pattern DEPLOYMENT_ID = Pattern.compile("[\\w.-]{1,100}");

    private final AppCatalog catalog;
    private final RequestPublisher publisher;
    private final ApiTokens tokens;
    private final DeploymentProjection projection;

    DeploymentController(AppCatalog catalog, RequestPublisher publisher, ApiTokens tokens,
            DeploymentProjection projection) {
        this.catalog = catalog;
        this.publisher = publisher;
        this.tokens = tokens;
        this.projection = projection;
    }

    @PostMapping("/deployments")
    Mono<ResponseEntity<Accepted>> requestDeployment(@PathVariable String app,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @Valid @RequestBody DeploymentRequest request) {
        String tokenName = tokens.authorize(authorization, app);
        catalog.require(app);
        GitRef.brokenRule(request.ref()).ifPresent(rule -> {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "ref " + rule);
        });
        DeployRequested event = new DeployRequested(app, request.ref(), null, request.requester(tokenName),
                tokenName);
        return publish(event, "deploy request").map(envelope -> {
            log.info("{} (token {}) asked to deploy {} of {}: deployment {} is requested.", event.requestedBy(),
                    tokenName, event.ref(), app, envelope.deploymentId());
            return accepted(envelope, event.ref());
        });
    }

    @PostMapping("/rollbacks")
    Mono<ResponseEntity<Accepted>> requestRollback(@PathVariable String app,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @Valid @RequestBody(required = false) @Nullable RollbackRequest request) {
        String tokenName = tokens.authorize(authorization, app);
        catalog.require(app);
        RollbackRequest asked = request == null ? RollbackRequest.none() : request;
        RollbackRequested event = new RollbackRequested(app, asked.requester(tokenName), asked.reasonOrDefault(),
                null, tokenName);
        return publish(event, "rollback request").map(envelope -> {
            log.info("{} (token {}) asked to roll back {}: rollback {} is requested. Reason: {}", event.requestedBy(),
                    tokenName, app, envelope.deploymentId(), event.reason());
            return accepted(envelope, null);
        });
    }

    /**
     * Approves the switch of a deployment that waits for it. The deployment must be one of this app's, known to the
     * gateway and waiting: a promote of anything else would do nothing, so it is refused with a reason.
     */
    @PostMapping("/promotions")
    Mono<ResponseEntity<Accepted>> requestPromotion(@PathVariable String app,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @Valid @RequestBody PromotionRequest request) {
        String tokenName = tokens.authorize(authorization, app);
        catalog.require(app);
        return projection.whenCaughtUp(HISTORY_WAIT).then(Mono.defer(() -> promote(app, request, tokenName)));
    }

    private Mono<ResponseEntity<Accepted>> promote(String app, PromotionRequest request, String tokenName) {
        DeploymentView deployment = known(app, request.deploymentId());
        if (!deployment.outcome().equals(DeploymentView.AWAITING_PROMOTION)) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "Deployment " + request.deploymentId()
                    + " does not wait for promotion: it is " + deployment.outcome());
        }
        PromoteRequested event = new PromoteRequested(app, request.requester(tokenName), tokenName);
        return publisher.publish(Envelope.of(SOURCE, request.deploymentId(), event), "promote request")
                .map(envelope -> {
                    log.info("{} (token {}) promoted deployment {} of {}.", event.requestedBy(), tokenName,
                            envelope.deploymentId(), app);
                    return accepted(envelope, deployment.ref());
                });
    }

    /**
     * Asks to stop a deployment of this app that has not reached traffic: one provisioning, being checked or waiting
     * for approval (a CI test gate's reject). The state machine decides: a deployment whose traffic is already moving
     * goes on, and the refusal shows in its history. One that has ended is refused here, with a reason.
     */
    @PostMapping("/deployments/{deploymentId}/cancel")
    Mono<ResponseEntity<Accepted>> requestCancel(@PathVariable String app, @PathVariable String deploymentId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @Valid @RequestBody(required = false) @Nullable CancelRequest request) {
        String tokenName = tokens.authorize(authorization, app);
        catalog.require(app);
        if (!DEPLOYMENT_ID.matcher(deploymentId).matches()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "A deployment id holds only letters, digits, '.', '_' and '-'");
        }
        CancelRequest asked = request == null ? CancelRequest.none() : request;
        return projection.whenCaughtUp(HISTORY_WAIT).then(Mono.defer(() -> cancel(app, deploymentId, asked,
                tokenName)));
    }

    private Mono<ResponseEntity<Accepted>> cancel(String app, String deploymentId, CancelRequest asked,
            String tokenName) {
        DeploymentView deployment = known(app, deploymentId);
        if (deployment.ended()) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "Deployment " + deploymentId + " of '" + app
                    + "' has ended already: it " + (deployment.outcome().equals(DeploymentView.REFUSED)
                            ? "was refused" : "is " + deployment.outcome()));
        }
        CancelRequested event = new CancelRequested(app, asked.requester(tokenName), asked.reasonOrNone(),
                tokenName);
        return publisher.publish(Envelope.of(SOURCE, deploymentId, event), "cancel request").map(envelope -> {
            log.info("{} (token {}) asked to cancel deployment {} of {}. Reason: {}", event.requestedBy(), tokenName,
                    deploymentId, app, event.reason() == null ? "none given" : event.reason());
            return accepted(envelope, deployment.ref());
        });
    }

    private DeploymentView known(String app, @Nullable String deploymentId) {
        return projection.deployment(deploymentId == null ? "" : deploymentId)
                .filter(view -> view.app().equals(app))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                        "No deployment '" + deploymentId + "' of '" + app + "' is known to the gateway"));
    }

    private Mono<Envelope> publish(PipelineEvent event, String request) {
        return publisher.publish(Envelope.of(SOURCE, UUID.randomUUID().toString(), event), request);
    }

    private static ResponseEntity<Accepted> accepted(Envelope envelope, @Nullable String ref) {
        URI events = UriComponentsBuilder.fromPath("/api/events").queryParam("app", envelope.subject())
                .encode().build().toUri();
        return ResponseEntity.accepted().location(events)
                .body(new Accepted(envelope.deploymentId(), envelope.subject(), ref, events.toString()));
    }
}

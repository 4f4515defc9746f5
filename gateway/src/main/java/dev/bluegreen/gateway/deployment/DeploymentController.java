package dev.bluegreen.gateway.deployment;

import java.net.URI;
import java.util.UUID;

import jakarta.validation.Valid;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.RollbackRequested;

/**
 * Turns deploy and rollback requests into events. Each request starts a deployment with a new id; the answer is
 * {@code 202 Accepted} once Kafka holds the event, and points at the event stream where the rest will show.
 */
@RestController
@RequestMapping("/api/apps/{app}")
class DeploymentController {

    static final String SOURCE = "gateway";

    private static final Logger log = LoggerFactory.getLogger(DeploymentController.class);

    private final AppCatalog catalog;
    private final RequestPublisher publisher;

    DeploymentController(AppCatalog catalog, RequestPublisher publisher) {
        this.catalog = catalog;
        this.publisher = publisher;
    }

    @PostMapping("/deployments")
    Mono<ResponseEntity<Accepted>> requestDeployment(@PathVariable String app,
            @Valid @RequestBody DeploymentRequest request) {
        catalog.require(app);
        DeployRequested event = new DeployRequested(app, request.ref(), null, request.requester());
        return publish(event, "deploy request").map(envelope -> {
            log.info("{} asked to deploy {} of {}: deployment {} is requested.", event.requestedBy(), event.ref(),
                    app, envelope.deploymentId());
            return accepted(envelope, event.ref());
        });
    }

    @PostMapping("/rollbacks")
    Mono<ResponseEntity<Accepted>> requestRollback(@PathVariable String app,
            @Valid @RequestBody(required = false) @Nullable RollbackRequest request) {
        catalog.require(app);
        RollbackRequest asked = request == null ? RollbackRequest.none() : request;
        RollbackRequested event = new RollbackRequested(app, asked.requester(), asked.reasonOrDefault());
        return publish(event, "rollback request").map(envelope -> {
            log.info("{} asked to roll back {}: rollback {} is requested. Reason: {}", event.requestedBy(), app,
                    envelope.deploymentId(), event.reason());
            return accepted(envelope, null);
        });
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

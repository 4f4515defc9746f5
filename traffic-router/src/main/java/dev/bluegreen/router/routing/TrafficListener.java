package dev.bluegreen.router.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.events.AwaitingPromotion;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.PromoteRequested;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.pipeline.DeploymentLogContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Moves traffic when a colour turns out healthy (or, for an app whose switch needs approval, when it is promoted),
 * and back when someone asks for a rollback. A request whose deployment was already answered is a redelivery and
 * does nothing. Moves of one app run one after the other; the listener returns at once.
 */
@Component
class TrafficListener {

    private static final Logger log = LoggerFactory.getLogger(TrafficListener.class);

    private final TrafficSwitcher switcher;
    private final TrafficEvents events;
    private final SwitchLedger ledger;
    private final AppCatalog catalog;
    private final Map<String, Mono<Void>> movesByApp = new ConcurrentHashMap<>();
    private final Map<String, Draining> drainingByApp = new ConcurrentHashMap<>();

    TrafficListener(TrafficSwitcher switcher, TrafficEvents events, SwitchLedger ledger, AppCatalog catalog) {
        this.switcher = switcher;
        this.events = events;
        this.ledger = ledger;
        this.catalog = catalog;
    }

    @KafkaListener(id = "traffic-router.health", topics = Topics.HEALTH)
    void onHealth(Envelope envelope) {
        if (!(envelope.data() instanceof EnvironmentHealthy healthy) || redelivered(envelope)) {
            return;
        }
        boolean approval = catalog.find(healthy.app()).map(app -> app.routing().requiresApproval()).orElse(false);
        if (approval) {
            Colour live = ledger.recordedLive(healthy.app()).orElseGet(() -> catalog.find(healthy.app())
                    .map(app -> app.initialLiveColour()).orElse(healthy.colour().other()));
            log.info("{}'s {} colour is healthy for deployment {}; its traffic moves once someone promotes it.",
                    healthy.app(), healthy.colour(), envelope.deploymentId());
            publishOutcome(envelope, () -> Mono.just(new AwaitingPromotion(healthy.app(), live, healthy.colour())));
            return;
        }
        log.info("Switching {}'s traffic to {} for deployment {}.", healthy.app(), healthy.colour(),
                envelope.deploymentId());
        publishOutcome(envelope, () -> switcher.switchTo(healthy.app(), healthy.colour()));
    }

    @KafkaListener(id = "traffic-router.promote-requests", topics = Topics.PROMOTE_REQUESTS)
    void onPromoteRequest(Envelope envelope) {
        if (!(envelope.data() instanceof PromoteRequested promote)) {
            return;
        }
        AwaitingPromotion waiting = ledger.takeAwaiting(envelope.deploymentId())
                .filter(awaiting -> awaiting.app().equals(promote.app())).orElse(null);
        if (waiting == null && ledger.answered(envelope.deploymentId())) {
            log.info("Deployment {} of {} was answered already; promoting it again changes nothing.",
                    envelope.deploymentId(), promote.app());
            return;
        }
        if (waiting == null) {
            log.warn("{} asked to promote deployment {} of {}, but no switch waits for it.", promote.requestedBy(),
                    envelope.deploymentId(), promote.app());
            publishOutcome(envelope, () -> Mono.just(new SwitchFailed(promote.app(), null, null, "Nothing waits for "
                    + "promotion in deployment " + envelope.deploymentId() + " of " + promote.app() + ": it was "
                    + "never healthy, needs no approval, or was promoted or answered already. Nothing changed.")));
            return;
        }
        log.info("Switching {}'s traffic to {} for deployment {}, as {} promoted it.", promote.app(), waiting.to(),
                envelope.deploymentId(), promote.requestedBy());
        publishOutcome(envelope, () -> switcher.switchTo(promote.app(), waiting.to()));
    }

    @KafkaListener(id = "traffic-router.rollback-requests", topics = Topics.ROLLBACK_REQUESTS)
    void onRollbackRequest(Envelope envelope) {
        if (!(envelope.data() instanceof RollbackRequested rollback) || redelivered(envelope)) {
            return;
        }
        log.info("Rolling back {} for deployment {}, as {} asked: {}.", rollback.app(), envelope.deploymentId(),
                rollback.requestedBy(), rollback.reason());
        publishOutcome(envelope, () -> switcher.rollBack(rollback.app()));
    }

    /** Runs after the app's moves before it, so two moves never change one balancer at once. */
    void publishOutcome(Envelope cause, Supplier<Mono<PipelineEvent>> move) {
        publishOutcome(cause.subject(), cause.deploymentId(), move);
    }

    void publishOutcome(String app, String deploymentId, Supplier<Mono<PipelineEvent>> move) {
        Mono<Void> run = Mono.defer(() -> endDrain(app))
                .then(Mono.defer(move))
                .flatMap(outcome -> publishAfterDrain(deploymentId, outcome))
                .doOnError(error -> log.error("Moving {}'s traffic for deployment {} ended without an outcome.",
                        app, deploymentId, error))
                .onErrorResume(error -> Mono.empty())
                .then()
                // the move logs on WebClient and scheduler threads, where the listener's MDC is not
                .contextWrite(DeploymentLogContext.of(deploymentId));
        movesByApp.compute(app, (name, before) -> {
            AtomicReference<Mono<Void>> self = new AtomicReference<>();
            Mono<Void> next = (before == null ? Mono.<Void>empty() : before).then(run)
                    .doFinally(signal -> movesByApp.remove(name, self.get()))
                    .cache();
            self.set(next);
            next.subscribe();
            return next;
        });
    }

    /**
     * Publishes a move's outcome at once, or, when it took a colour out of traffic, after the app's drain period:
     * the event tells the deploy-agent that colour is idle, and nothing should re-provision it while it still
     * finishes the requests it had. The router never stops droplets. The app's next move does not wait for the
     * drain: it publishes the outcome at once first (the drained colour is about to serve again or be replaced),
     * so events stay in order.
     */
    private Mono<Void> publishAfterDrain(String deploymentId, PipelineEvent outcome) {
        Duration drain = drainAfter(outcome);
        if (drain.isZero()) {
            return publish(deploymentId, outcome);
        }
        log.info("{}'s {} colour is out of traffic for deployment {}; it drains for {} before it counts as idle.",
                outcome.app(), drainedColour(outcome), deploymentId, TrafficSwitcher.seconds(drain));
        Sinks.Empty<Void> endEarly = Sinks.empty();
        Mono<Void> publication = Mono.firstWithSignal(Mono.delay(drain).then(), endEarly.asMono())
                .then(publish(deploymentId, outcome))
                .onErrorResume(error -> {
                    log.error("Could not publish the outcome of deployment {} of {}.", deploymentId, outcome.app(),
                            error);
                    return Mono.empty();
                })
                .contextWrite(DeploymentLogContext.of(deploymentId))
                .cache();
        Draining draining = new Draining(endEarly, publication);
        drainingByApp.put(outcome.app(), draining);
        publication.doFinally(signal -> drainingByApp.remove(outcome.app(), draining)).subscribe();
        return Mono.empty();
    }

    /** Ends the app's drain now, if one runs: its outcome is published before anything else moves. */
    private Mono<Void> endDrain(String app) {
        Draining draining = drainingByApp.get(app);
        if (draining == null) {
            return Mono.empty();
        }
        draining.endEarly().tryEmitEmpty();
        return draining.publication();
    }

    /** On shutdown, every outcome held for a drain is published, so no switch goes unrecorded. */
    @PreDestroy
    void publishDrainingOutcomes() {
        Flux.fromIterable(List.copyOf(drainingByApp.keySet())).flatMap(this::endDrain).then()
                .block(Duration.ofSeconds(10));
    }

    private Mono<Void> publish(String deploymentId, PipelineEvent outcome) {
        return events.publish(deploymentId, outcome).doOnSuccess(sent -> logOutcome(outcome, deploymentId));
    }

    private Duration drainAfter(PipelineEvent outcome) {
        boolean moved = outcome instanceof TrafficSwitched switched && switched.from() != switched.to()
                || outcome instanceof RolledBack;
        return moved ? catalog.find(outcome.app()).map(app -> app.routing().drainPeriod()).orElse(Duration.ZERO)
                : Duration.ZERO;
    }

    private static Colour drainedColour(PipelineEvent outcome) {
        return outcome instanceof RolledBack rolledBack ? rolledBack.from() : ((TrafficSwitched) outcome).from();
    }

    /** An outcome held back while the colour it took out of traffic drains. */
    private record Draining(Sinks.Empty<Void> endEarly, Mono<Void> publication) {
    }

    private boolean redelivered(Envelope envelope) {
        if (ledger.begin(envelope)) {
            return false;
        }
        log.info("Deployment {} of {} was handled already; its redelivered {} changes nothing.",
                envelope.deploymentId(), envelope.subject(), envelope.type());
        return true;
    }

    private static void logOutcome(PipelineEvent outcome, String deploymentId) {
        if (outcome instanceof TrafficSwitched switched && switched.from() == switched.to()) {
            log.info("{}'s traffic already went to {} for deployment {}; nothing changed.", switched.app(),
                    switched.to(), deploymentId);
        } else if (outcome instanceof TrafficSwitched switched) {
            log.info("{}'s traffic moved from {} to {} (droplets {}) for deployment {} in {} ms.", switched.app(),
                    switched.from(), switched.to(), switched.dropletIds(), deploymentId, switched.durationMs());
        } else if (outcome instanceof RolledBack rolledBack) {
            log.info("{}'s traffic rolled back from {} to {} (droplets {}) for deployment {} in {} ms.",
                    rolledBack.app(), rolledBack.from(), rolledBack.to(), rolledBack.dropletIds(), deploymentId,
                    rolledBack.durationMs());
        } else if (outcome instanceof SwitchFailed failed) {
            log.warn("{}'s traffic did not move for deployment {}: {}", failed.app(), deploymentId, failed.reason());
        }
    }
}

package dev.bluegreen.router.routing;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.events.AwaitingPromotion;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EventType;
import dev.bluegreen.events.Phase;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.PreviewDroplet;
import dev.bluegreen.events.RequestRefused;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.lifecycle.ColourStatus;
import dev.bluegreen.lifecycle.Operation;
import dev.bluegreen.lifecycle.Transition;
import dev.bluegreen.pipeline.DeploymentLogContext;
import dev.bluegreen.pipeline.lifecycle.LifecycleReactor;
import dev.bluegreen.trafficplan.SwitchWords;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * The traffic-router's part in every app's lifecycle. SWITCHING is its turn: a deployment of an app whose switch
 * needs approval waits for promotion ({@link AwaitingPromotion}); any other deployment, or a rollback, has its traffic
 * moved to its target. The outcome is published only after the drain period, so the app stays SWITCHING, and the
 * deploy-agent off the draining colour, until the old colour has finished its requests. The router also says aloud
 * the refusals of the requests it answers (rollback, promote, cancel); the state machine made them already.
 */
@Component
class TrafficReactor implements LifecycleReactor {

    private static final Logger log = LoggerFactory.getLogger(TrafficReactor.class);
    private static final Set<EventType> ANSWERED_REQUESTS = EnumSet.of(EventType.ROLLBACK_REQUESTED,
            EventType.PROMOTE_REQUESTED, EventType.CANCEL_REQUESTED);
    /** An outcome that Kafka does not take would leave the app SWITCHING: it is sent again for a while. */
    private static final Retry PUBLISH_RETRY = Retry.backoff(5, Duration.ofSeconds(1));

    private final AppCatalog catalog;
    private final TrafficSwitcher switcher;
    private final TrafficEvents events;
    private final AppLanes lanes = new AppLanes();
    private static final long SETTLE_EVERY_SECONDS = 10;
    private final Map<String, Instant> settling = new ConcurrentHashMap<>();

    TrafficReactor(AppCatalog catalog, TrafficSwitcher switcher, TrafficEvents events) {
        this.catalog = catalog;
        this.switcher = switcher;
        this.events = events;
    }

    @Override
    public void onTransition(Transition transition) {
        if (transition.decision().refused() && ANSWERED_REQUESTS.contains(transition.event().eventType())) {
            sayRefused(transition.event(), transition.decision().reason());
        } else if (transition.entered(Phase.SWITCHING)) {
            takeTurn(transition.after(), false);
        }
    }

    /** A move that the app's earlier owner began (or this service before a restart) is finished here. */
    @Override
    public void onOwned(AppState state) {
        if (state.phase() == Phase.SWITCHING) {
            takeTurn(state, true);
        }
    }

    /**
     * Stops the app's work at once: no further DigitalOcean call is made for it, a drain under way ends without its
     * outcome, and waiting moves are dropped. A call already sent may still take effect at DigitalOcean. The app's
     * new owner finds it still SWITCHING, reads the balancer again and finishes the move from whatever it finds
     * (both colours attached, or the target alone), drain included, before it publishes the outcome.
     */
    @Override
    public void onReleased(String app) {
        lanes.stop(app);
    }

    /**
     * An idle app whose balancer a move left serving both colours is settled here, at most every
     * {@value #SETTLE_EVERY_SECONDS} s: the idle colour is taken out, and DriftDetected says what the balancer serves.
     */
    @Override
    public void onTick(AppState state, Instant now) {
        if (!state.idleApp() || state.colour(state.idle()).status() != ColourStatus.LIVE) {
            return;
        }
        Instant last = settling.get(state.app());
        if (last != null && now.isBefore(last.plusSeconds(SETTLE_EVERY_SECONDS))) {
            return;
        }
        settling.put(state.app(), now);
        String id = "settle-" + state.app() + "-" + UUID.randomUUID();
        lanes.submit(state.app(), id, switcher.settle(state.app(), state.live())
                .flatMap(events -> events.isEmpty() ? Mono.empty()
                        : this.events.publishAll(id, events).retryWhen(PUBLISH_RETRY))
                .onErrorResume(error -> Mono.empty())
                .contextWrite(DeploymentLogContext.of(id)));
    }

    @Override
    public Set<Phase> ownPhases() {
        return Set.of(Phase.AWAITING_APPROVAL);
    }

    @PreDestroy
    void stop() {
        lanes.stopAll();
    }

    private void takeTurn(AppState state, boolean resuming) {
        Operation operation = state.current();
        if (operation == null) {
            return;
        }
        Mono<Void> work = waitsForApproval(state.app(), operation) ? awaitPromotion(state, operation)
                : move(Move.of(state, resuming));
        // entering SWITCHING again (promoted after waiting) is a new turn; the same entry seen twice is not
        String turn = operation.id() + "@" + operation.phaseSince() + (operation.promoted() ? "/promoted" : "");
        lanes.submit(state.app(), turn, work.contextWrite(DeploymentLogContext.of(operation.id())));
    }

    private boolean waitsForApproval(String app, Operation operation) {
        return operation.kind() == Operation.Kind.DEPLOYMENT && !operation.promoted()
                && catalog.find(app).map(spec -> spec.routing().requiresApproval()).orElse(false);
    }

    private Mono<Void> awaitPromotion(AppState state, Operation operation) {
        return Mono.defer(() -> {
            AwaitingPromotion waiting = new AwaitingPromotion(state.app(), state.live(), operation.target(),
                    preview(state.app(), operation));
            log.info("{}'s {} colour is healthy for {}; its traffic moves once someone promotes it.", state.app(),
                    operation.target(), operation.describe());
            return events.publish(operation.id(), waiting).retryWhen(PUBLISH_RETRY);
        }).onErrorResume(error -> {
            log.error("Could not publish that {} waits for promotion in {}.", state.app(), operation.describe(), error);
            return Mono.empty();
        });
    }

    /** The target colour's droplets as the apps file gives them: where a CI job tests it before it promotes it. */
    private List<PreviewDroplet> preview(String app, Operation operation) {
        return catalog.find(app).map(spec -> spec.droplets(operation.target()).stream()
                .map(droplet -> PreviewDroplet.of(droplet.id(), droplet.http())).toList()).orElse(List.of());
    }

    private Mono<Void> move(Move move) {
        return Mono.defer(() -> {
            logStart(move);
            if (move.recordedLive() == move.target()) {
                // only DriftDetected, published by the move an earlier owner began, records the target live mid-move
                return Mono.just(List.<PipelineEvent>of(move.failed("The balancer was found moved outside the "
                        + "pipeline while " + move.describe() + " was under way, and the history now takes "
                        + move.target() + " as live. The router made no move.")));
            }
            return switcher.move(move);
        }).flatMap(outcome -> drain(move, outcome).then(publish(move, outcome))).onErrorResume(error -> {
            log.error("Moving {}'s traffic to {} for {} ended without an outcome; the app stays SWITCHING until an "
                    + "instance of the traffic-router takes it over again.", move.app(), move.target(),
                    move.describe(), error);
            return Mono.empty();
        });
    }

    /**
     * After a move that took a colour out of traffic, waits the app's drain period: the requests that colour still
     * serves finish before anything may count it idle. The router never stops droplets.
     */
    private Mono<Void> drain(Move move, List<PipelineEvent> outcome) {
        PipelineEvent last = outcome.get(outcome.size() - 1);
        Duration drain = catalog.find(move.app()).map(spec -> spec.routing().drainPeriod()).orElse(Duration.ZERO);
        if (!(last instanceof TrafficSwitched || last instanceof RolledBack) || drain.isZero()) {
            return Mono.empty();
        }
        log.info("{}'s {} colour is out of traffic for {}; it drains for {} before it counts as idle.", move.app(),
                move.from(), move.describe(), SwitchWords.seconds(drain));
        return Mono.delay(drain).then();
    }

    private Mono<Void> publish(Move move, List<PipelineEvent> outcome) {
        return events.publishAll(move.id(), outcome).retryWhen(PUBLISH_RETRY)
                .doOnSuccess(sent -> outcome.forEach(event -> logOutcome(event, move)));
    }

    private void sayRefused(Envelope request, String reason) {
        String app = request.subject();
        Mono.defer(() -> {
            log.info("{} of {} in {} was refused: {}", request.type(), app, request.deploymentId(), reason);
            return events.publish(request.deploymentId(), new RequestRefused(app, request.type(), reason))
                    .retryWhen(PUBLISH_RETRY);
        }).onErrorResume(error -> {
            log.error("Could not publish the refusal of {} of {}.", request.type(), app, error);
            return Mono.empty();
        }).contextWrite(DeploymentLogContext.of(request.deploymentId()))
                .subscribeOn(Schedulers.boundedElastic())
                .subscribe();
    }

    private static void logStart(Move move) {
        if (move.resuming()) {
            log.info("Taking over the move of {}'s traffic to {} for {}: reading the balancer again to finish it.",
                    move.app(), move.target(), move.describe());
        } else if (move.operation().kind() == Operation.Kind.ROLLBACK) {
            log.info("Rolling {}'s traffic back to {} for {}, as {} asked.", move.app(), move.target(),
                    move.describe(), move.operation().requestedBy());
        } else {
            log.info("Switching {}'s traffic to {} for {}.", move.app(), move.target(), move.describe());
        }
    }

    private static void logOutcome(PipelineEvent outcome, Move move) {
        if (outcome instanceof TrafficSwitched switched) {
            log.info("{}'s traffic moved from {} to {} (droplets {}) for {} in {} ms.", switched.app(),
                    switched.from(), switched.to(), switched.dropletIds(), move.describe(), switched.durationMs());
        } else if (outcome instanceof RolledBack rolledBack) {
            log.info("{}'s traffic rolled back from {} to {} (droplets {}) for {} in {} ms.", rolledBack.app(),
                    rolledBack.from(), rolledBack.to(), rolledBack.dropletIds(), move.describe(),
                    rolledBack.durationMs());
        } else if (outcome instanceof SwitchFailed failed) {
            log.warn("{}'s traffic did not move for {}: {}", failed.app(), move.describe(), failed.reason());
        }
    }
}

package dev.bluegreen.monitor.bake;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.BakeSpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.lifecycle.Bake;
import dev.bluegreen.monitor.HealthMonitorApplication;
import dev.bluegreen.monitor.probing.HealthEvents;
import dev.bluegreen.pipeline.DeploymentLogContext;
import dev.bluegreen.probe.Durations;
import dev.bluegreen.probe.Expectation;
import dev.bluegreen.probe.HealthProbe;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The bake watches this instance runs, one per app at most, each the watch of the bake the app's history records:
 * the colour that went live is probed directly every {@code bake.interval} until {@code bake.period} after the switch.
 * A droplet that fails {@code failuresInARow} checks in a row ends the watch with a request to roll that switch's
 * deployment back, when the app rolls back automatically. The request has an id of its own and names the deployment
 * it reverts, so the history refuses it once anything else came after that deployment.
 */
@Component
public class BakeWatches {

    private static final Logger log = LoggerFactory.getLogger(BakeWatches.class);

    private final AppCatalog catalog;
    private final HealthProbe probe;
    private final HealthEvents events;
    private final Clock clock;
    private final Map<String, Watch> watches = new HashMap<>();
    private boolean stopped;

    BakeWatches(AppCatalog catalog, HealthProbe probe, HealthEvents events, Clock clock) {
        this.catalog = catalog;
        this.probe = probe;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Watches the bake for what is left of its period, ending the app's watch of any other bake; a bake watched
     * already, or whose period is over, starts nothing.
     */
    public synchronized void watch(String app, Bake bake) {
        AppSpec spec = catalog.find(app).orElse(null);
        Watch watching = watches.get(app);
        if (spec == null || stopped || watching != null && watching.bake().equals(bake)) {
            return;
        }
        end(app, "traffic moved to " + bake.colour() + " in deployment " + bake.deploymentId());
        BakeSpec bakeSpec = spec.health().bake();
        Duration left = Duration.between(clock.instant(), bake.since().plus(bakeSpec.period()));
        if (left.isNegative() || left.isZero()) {
            return;
        }
        Duration watchFor = left.compareTo(bakeSpec.period()) > 0 ? bakeSpec.period() : left;
        log.info("Watching {}'s {} droplets for {} after traffic moved to them in deployment {}.", app, bake.colour(),
                Durations.inWords(watchFor.truncatedTo(ChronoUnit.SECONDS)), bake.deploymentId());
        watches.put(app, new Watch(bake, watch(app, spec, bake, watchFor)));
    }

    /** Ends the app's watch, if one runs. */
    public synchronized void end(String app, String why) {
        Watch watch = watches.remove(app);
        if (watch != null && !watch.running().isDisposed()) {
            watch.running().dispose();
            log.info("Ended the bake watch of {}'s {} droplets in deployment {}: {}.", app, watch.bake().colour(),
                    watch.bake().deploymentId(), why);
        }
    }

    /**
     * Ends every watch as soon as the service starts to stop: before the HTTP client and the Kafka producer go away,
     * so that a probe cut short by the shutdown is never taken for a droplet's failure.
     */
    @EventListener(ContextClosedEvent.class)
    synchronized void stopAll() {
        stopped = true;
        List<Watch> all = List.copyOf(watches.values());
        watches.clear();
        all.forEach(watch -> watch.running().dispose());
    }

    private Disposable watch(String app, AppSpec spec, Bake bake, Duration watchFor) {
        BakeSpec bakeSpec = spec.health().bake();
        Expectation expectation = Expectation.of(spec.health());
        List<DropletSpec> droplets = spec.droplets(bake.colour());
        return Flux.fromIterable(droplets)
                .flatMap(droplet -> streaks(droplet, expectation, bakeSpec))
                .filter(streak -> streak.length() >= bakeSpec.failuresInARow())
                .take(watchFor)
                .next()
                .flatMap(streak -> failed(app, bakeSpec, bake, streak).thenReturn(true))
                .defaultIfEmpty(false)
                .doOnNext(failed -> {
                    if (!failed) {
                        log.info("{}'s {} droplets stayed healthy through their bake in deployment {}.", app,
                                bake.colour(), bake.deploymentId());
                    }
                })
                .doOnError(error -> log.error("The bake watch of {}'s {} droplets in deployment {} ended without a "
                        + "verdict.", app, bake.colour(), bake.deploymentId(), error))
                .onErrorComplete()
                // the steps above log on WebClient and scheduler threads, where the engine's MDC is not
                .contextWrite(DeploymentLogContext.of(bake.deploymentId()))
                .subscribe();
    }

    /** The droplet's failure streak after each check: a probe every interval, never two at once. */
    private Flux<FailureStreak> streaks(DropletSpec droplet, Expectation expectation, BakeSpec bake) {
        return Flux.interval(Duration.ZERO, bake.interval())
                .onBackpressureDrop()
                .concatMap(tick -> probe.probe(droplet, expectation), 1)
                .scan(FailureStreak.none(droplet.id()), FailureStreak::after)
                .skip(1);
    }

    private Mono<Void> failed(String app, BakeSpec bakeSpec, Bake bake, FailureStreak streak) {
        String checks = streak.length() == 1 ? "its health check" : streak.length() + " health checks in a row";
        long seconds = Math.max(1, (long) Math.ceil(Duration.between(bake.since(), clock.instant()).toMillis()
                / 1000.0));
        String reason = "Droplet " + streak.dropletId() + " failed " + checks + " within " + seconds
                + " s after traffic moved to " + bake.colour() + " (bake period "
                + Durations.inWords(bakeSpec.period()) + "): " + streak.answers();
        if (!bakeSpec.rollsBackAutomatically()) {
            log.warn("{}'s {} droplets went bad after the switch of deployment {}, and automatic rollback is off for "
                    + "this app: roll back by hand if needed. {}", app, bake.colour(), bake.deploymentId(), reason);
            return Mono.empty();
        }
        // a rollback is a new request with an id of its own; reusing the switch's id made it look like a redelivery
        String rollbackId = "rollback-" + UUID.randomUUID();
        log.warn("Asking to roll {} back from {}, reverting deployment {}, as rollback {}: {}", app, bake.colour(),
                bake.deploymentId(), rollbackId, reason);
        return events.publish(rollbackId, new RollbackRequested(app, HealthMonitorApplication.NAME, reason,
                bake.deploymentId()));
    }

    /** The watch of one bake. */
    private record Watch(Bake bake, Disposable running) {
    }
}

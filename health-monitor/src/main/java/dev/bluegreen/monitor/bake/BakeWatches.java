package dev.bluegreen.monitor.bake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
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
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.monitor.HealthMonitorApplication;
import dev.bluegreen.monitor.probing.DropletProber;
import dev.bluegreen.monitor.probing.Durations;
import dev.bluegreen.monitor.probing.Expectation;
import dev.bluegreen.monitor.probing.HealthEvents;
import dev.bluegreen.pipeline.DeploymentLogContext;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One bake watch per app at most: after a switch, the new live colour's droplets are probed directly every
 * {@code bake.interval} until {@code bake.period} after the switch. A droplet that fails {@code failuresInARow} checks
 * in a row ends the watch with a RollbackRequested in the switch's deployment, when the app rolls back automatically.
 * A switch seen again (a redelivery) starts nothing; a newer switch, a rollback (asked for or done) or shutdown ends
 * the watch.
 */
@Component
class BakeWatches {

    private static final Logger log = LoggerFactory.getLogger(BakeWatches.class);

    private final AppCatalog catalog;
    private final DropletProber prober;
    private final HealthEvents events;
    private final Clock clock;
    /** The latest switch of each app, watched or not; kept after the watch ends, so that a redelivery is known. */
    private final Map<String, Watch> latest = new HashMap<>();
    /** When each app's traffic last moved back, or a rollback was asked for: a switch before that is not watched. */
    private final Map<String, Instant> lastRollback = new HashMap<>();
    private volatile boolean stopped;

    BakeWatches(AppCatalog catalog, DropletProber prober, HealthEvents events, Clock clock) {
        this.catalog = catalog;
        this.prober = prober;
        this.events = events;
        this.clock = clock;
    }

    synchronized void start(String deploymentId, Instant switchedAt, TrafficSwitched switched) {
        AppSpec app = catalog.find(switched.app()).orElse(null);
        if (app == null || stopped) {
            return;
        }
        String key = deploymentId + " to " + switched.to();
        Watch previous = latest.get(switched.app());
        if (previous != null && (previous.key().equals(key) || switchedAt.isBefore(previous.switchedAt()))) {
            // read again after a restart or a rebalance, or delivered twice: it was dealt with the first time
            log.debug("{}'s switch to {} in deployment {} was seen before.", switched.app(), switched.to(),
                    deploymentId);
            return;
        }
        if (previous != null && previous.end()) {
            log.info("Ended the bake watch of {}: traffic moved again, to {} in deployment {}.", switched.app(),
                    switched.to(), deploymentId);
        }
        BakeSpec bake = app.health().bake();
        Duration left = Duration.between(clock.instant(), switchedAt.plus(bake.period()));
        Instant rolledBackAt = lastRollback.get(switched.app());
        if (left.isNegative() || left.isZero() || rolledBackAt != null && !rolledBackAt.isBefore(switchedAt)) {
            latest.put(switched.app(), new Watch(key, switchedAt, null));
            return;
        }
        // a switch seen again after a restart is watched for what is left of its bake, at most the whole period
        Duration watchFor = left.compareTo(bake.period()) > 0 ? bake.period() : left;
        log.info("Watching {}'s {} droplets for {} after traffic moved to them in deployment {}.", switched.app(),
                switched.to(), Durations.inWords(watchFor.truncatedTo(ChronoUnit.SECONDS)), deploymentId);
        latest.put(switched.app(), new Watch(key, switchedAt,
                watch(app, deploymentId, switchedAt, switched, watchFor)));
    }

    /** Ends the app's watch, if it watches a switch made before {@code at}, when traffic moved back then. */
    synchronized void end(String app, Instant at, String why) {
        lastRollback.merge(app, at, (earlier, later) -> later.isAfter(earlier) ? later : earlier);
        Watch watch = latest.get(app);
        if (watch != null && !watch.switchedAt().isAfter(at) && watch.end()) {
            log.info("Ended the bake watch of {}: {}.", app, why);
        }
    }

    /**
     * Ends every watch as soon as the service starts to stop: before the HTTP client and the Kafka producer go away,
     * so that a probe cut short by the shutdown is never taken for a droplet's failure.
     */
    @EventListener(ContextClosedEvent.class)
    synchronized void stop() {
        stopped = true;
        latest.values().forEach(Watch::end);
    }

    private Disposable watch(AppSpec app, String deploymentId, Instant switchedAt, TrafficSwitched switched,
            Duration watchFor) {
        BakeSpec bake = app.health().bake();
        Expectation expectation = Expectation.of(app.health());
        List<DropletSpec> droplets = app.droplets(switched.to());
        return Flux.fromIterable(droplets)
                .flatMap(droplet -> streaks(droplet, expectation, bake))
                .filter(streak -> streak.length() >= bake.failuresInARow())
                .take(watchFor)
                .next()
                .flatMap(streak -> failed(app, deploymentId, switchedAt, switched, streak).thenReturn(true))
                .defaultIfEmpty(false)
                .doOnNext(failed -> {
                    if (!failed) {
                        log.info("{}'s {} droplets stayed healthy through their bake in deployment {}.",
                                switched.app(), switched.to(), deploymentId);
                    }
                })
                .doOnError(error -> log.error("The bake watch of {}'s {} droplets in deployment {} ended without a "
                        + "verdict.", switched.app(), switched.to(), deploymentId, error))
                .onErrorComplete()
                // the steps above log on WebClient and scheduler threads, where the listener's MDC is not
                .contextWrite(DeploymentLogContext.of(deploymentId))
                .subscribe();
    }

    /** The droplet's failure streak after each check: a probe every interval, never two at once. */
    private Flux<FailureStreak> streaks(DropletSpec droplet, Expectation expectation, BakeSpec bake) {
        return Flux.interval(Duration.ZERO, bake.interval())
                .onBackpressureDrop()
                .concatMap(tick -> prober.probeOnce(droplet, expectation), 1)
                .scan(FailureStreak.none(droplet.id()), FailureStreak::after)
                .skip(1);
    }

    private Mono<Void> failed(AppSpec app, String deploymentId, Instant switchedAt, TrafficSwitched switched,
            FailureStreak streak) {
        BakeSpec bake = app.health().bake();
        String checks = streak.length() == 1 ? "its health check" : streak.length() + " health checks in a row";
        long seconds = Math.max(1, (long) Math.ceil(Duration.between(switchedAt, clock.instant()).toMillis() / 1000.0));
        String reason = "Droplet " + streak.dropletId() + " failed " + checks + " within " + seconds
                + " s after traffic moved to " + switched.to() + " (bake period " + Durations.inWords(bake.period())
                + "): " + streak.answers();
        if (stopped) {
            return Mono.empty();
        }
        if (!bake.rollsBackAutomatically()) {
            log.warn("{}'s {} droplets went bad after the switch of deployment {}, and automatic rollback is off for "
                    + "this app: roll back by hand if needed. {}", switched.app(), switched.to(), deploymentId, reason);
            return Mono.empty();
        }
        log.warn("Asking to roll {} back from {}, deployment {}: {}", switched.app(), switched.to(), deploymentId,
                reason);
        return events.publish(deploymentId, new RollbackRequested(switched.app(), HealthMonitorApplication.NAME,
                reason));
    }

    /** The watch of one switch, or only its key when it needs no watch. */
    private record Watch(String key, Instant switchedAt, @Nullable Disposable running) {

        /** Ends the watch; true if it was still running. */
        boolean end() {
            if (running == null || running.isDisposed()) {
                return false;
            }
            running.dispose();
            return true;
        }
    }
}

package dev.bluegreen.monitor.probing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.HealthCheckSpec;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.lifecycle.Operation;
import dev.bluegreen.pipeline.DeploymentLogContext;
import dev.bluegreen.probe.Durations;
import reactor.core.Disposable;
import reactor.core.Disposables;

/**
 * The health checks this instance runs, one per app at most, each on its own: a check is started when a deployment
 * enters its checking phase, publishes EnvironmentHealthy or EnvironmentUnhealthy in that deployment, and is stopped,
 * publishing nothing, when the deployment ends otherwise (cancelled, expired) or the app goes to another instance.
 * Checks only read from the droplets, so a check run again after a takeover does no harm.
 */
@Component
public class EnvironmentChecks {

    private static final Logger log = LoggerFactory.getLogger(EnvironmentChecks.class);

    private final AppCatalog catalog;
    private final EnvironmentCheck environmentCheck;
    private final HealthEvents events;
    private final Clock clock;
    private final Map<String, Running> running = new HashMap<>();
    private boolean stopped;

    EnvironmentChecks(AppCatalog catalog, EnvironmentCheck environmentCheck, HealthEvents events, Clock clock) {
        this.catalog = catalog;
        this.environmentCheck = environmentCheck;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Checks the colour the deployment just provisioned. Its deadline counts from when the colour was provisioned,
     * as the deployment's own deadline does, so that the verdict, rather than an expiry, ends the deployment.
     */
    public void start(String app, Operation deployment) {
        catalog.find(app).ifPresent(spec -> {
            log.info("Checking the health of {}'s {} droplets for deployment {}.", app, deployment.target(),
                    deployment.id());
            run(Candidate.of(app, deployment), spec, leftOf(spec.health(), deployment.phaseSince()));
        });
    }

    /**
     * Checks from scratch a colour whose check another instance began (it stopped, or gave the app up), in what is
     * left of its deadline.
     */
    public void restart(String app, Operation deployment) {
        catalog.find(app).ifPresent(spec -> {
            Duration left = leftOf(spec.health(), deployment.phaseSince());
            log.info("Checking the health of {}'s {} droplets for deployment {} again, from the start, as this "
                    + "instance took the app over; {} left of its deadline.", app, deployment.target(),
                    deployment.id(), Durations.inWords(Duration.ofSeconds((left.toMillis() + 999) / 1000)));
            run(Candidate.of(app, deployment), spec, left);
        });
    }

    /** Stops the check of the deployment, if it runs, and publishes nothing. */
    public synchronized void stop(String app, String deploymentId, String why) {
        Running check = running.get(app);
        if (check != null && check.deploymentId().equals(deploymentId)) {
            running.remove(app);
            check.task().dispose();
            log.info("Stopped the health check of {} for deployment {}: {}.", app, deploymentId, why);
        }
    }

    /** Stops whatever check of the app runs here, as the app goes to another instance. */
    public synchronized void stop(String app) {
        Running check = running.remove(app);
        if (check != null) {
            check.task().dispose();
            log.info("Stopped the health check of {} for deployment {}: another instance takes the app over.", app,
                    check.deploymentId());
        }
    }

    /**
     * Ends a deployment of an app this instance does not know at once, rather than when its deadline runs out: the
     * rest of the pipeline may know the app while the health-monitor's apps file does not.
     */
    public void unknownApp(String deploymentId, EnvironmentProvisioned provisioned) {
        String reason = "No app named '" + provisioned.app() + "' is configured in the health-monitor's apps file";
        log.warn("{}'s {} droplets were provisioned in deployment {}, but cannot be checked: {}.", provisioned.app(),
                provisioned.colour(), deploymentId, reason);
        events.publish(deploymentId, new EnvironmentUnhealthy(provisioned.app(), provisioned.colour(),
                provisioned.ref(), reason, List.of(), 0))
                .doOnError(error -> log.error("Could not say that deployment {} of {} cannot be checked.",
                        deploymentId, provisioned.app(), error))
                .onErrorComplete()
                .subscribe();
    }

    /**
     * Stops every check as soon as the service starts to stop, before the HTTP client and the producer go away, so
     * that none ends in a verdict the shutdown caused.
     */
    @EventListener(ContextClosedEvent.class)
    synchronized void stopAll() {
        stopped = true;
        // a check disposed of leaves the map in its doFinally: empty it first
        List<Running> checks = List.copyOf(running.values());
        running.clear();
        checks.forEach(check -> check.task().dispose());
    }

    private synchronized void run(Candidate candidate, AppSpec spec, Duration deadline) {
        Running already = running.get(candidate.app());
        if (stopped || already != null && already.deploymentId().equals(candidate.deploymentId())) {
            // told twice (a transition delivered again): the check that runs gives the verdict
            return;
        }
        if (already != null) {
            already.task().dispose();
        }
        Running check = new Running(candidate.deploymentId(), Disposables.swap());
        running.put(candidate.app(), check);
        check.task().update(environmentCheck.check(candidate, spec, deadline)
                .flatMap(verdict -> events.publish(candidate.deploymentId(), verdict).thenReturn(verdict))
                .doOnNext(verdict -> logVerdict(verdict, candidate.deploymentId()))
                .doOnError(error -> log.error("The health check of {}'s {} droplets for deployment {} ended without "
                        + "a verdict.", candidate.app(), candidate.colour(), candidate.deploymentId(), error))
                .onErrorComplete()
                .doFinally(signal -> finished(candidate.app(), check))
                // the steps above log on WebClient and scheduler threads, where the engine's MDC is not
                .contextWrite(DeploymentLogContext.of(candidate.deploymentId()))
                .subscribe());
    }

    private synchronized void finished(String app, Running check) {
        running.remove(app, check);
    }

    /**
     * What is left of the health deadline, but at least the time a healthy droplet needs to pass and at most the
     * whole deadline: the clock of the deploy-agent that stamped the provisioning and this one's may disagree.
     */
    private Duration leftOf(HealthCheckSpec health, Instant provisionedAt) {
        Duration left = Duration.between(clock.instant(), provisionedAt.plus(health.deadline()));
        Duration least = health.interval().multipliedBy(health.successesInARow());
        if (left.compareTo(least) < 0) {
            return least;
        }
        return left.compareTo(health.deadline()) > 0 ? health.deadline() : left;
    }

    private static void logVerdict(PipelineEvent verdict, String deploymentId) {
        if (verdict instanceof EnvironmentHealthy healthy) {
            log.info("{}'s {} droplets are healthy for deployment {}: all passed in {} ms.", healthy.app(),
                    healthy.colour(), deploymentId, healthy.durationMs());
        } else if (verdict instanceof EnvironmentUnhealthy unhealthy) {
            log.warn("{}'s {} droplets are unhealthy for deployment {}: {}.", unhealthy.app(), unhealthy.colour(),
                    deploymentId, unhealthy.reason());
        }
    }

    /** A check under way, and the deployment it is for. */
    private record Running(String deploymentId, Disposable.Swap task) {
    }
}

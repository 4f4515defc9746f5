package dev.bluegreen.monitor.probing;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.apps.HealthCheckSpec;
import dev.bluegreen.events.DropletHealth;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.PipelineEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Checks every droplet of a freshly provisioned colour at once; once all have passed their health check, runs the
 * app's smoke checks on each; and turns the outcome into {@link EnvironmentHealthy} or {@link EnvironmentUnhealthy}.
 */
@Component
class EnvironmentCheck {

    private final AppCatalog catalog;
    private final DropletProber prober;

    EnvironmentCheck(AppCatalog catalog, DropletProber prober) {
        this.catalog = catalog;
        this.prober = prober;
    }

    Mono<PipelineEvent> check(EnvironmentProvisioned provisioned) {
        return catalog.find(provisioned.app())
                .map(app -> check(provisioned, app))
                .orElseGet(() -> Mono.just(unhealthy(provisioned, "No app named '" + provisioned.app()
                        + "' is configured in the health-monitor's apps file", List.of(), 0)));
    }

    private Mono<PipelineEvent> check(EnvironmentProvisioned provisioned, AppSpec app) {
        HealthCheckSpec check = app.health();
        List<DropletSpec> droplets = app.droplets(provisioned.colour());
        return Flux.fromIterable(droplets)
                .flatMapSequential(droplet -> prober.probe(droplet, check))
                .collectList()
                .flatMap(progress -> allPassed(progress, check)
                        ? smoke(droplets, progress, check)
                        : Mono.just(progress))
                .elapsed()
                .map(timed -> verdict(provisioned, check, timed.getT2(), timed.getT1()));
    }

    private static boolean allPassed(List<DropletProgress> progress, HealthCheckSpec check) {
        return progress.stream().allMatch(droplet -> droplet.passed(check.successesInARow()));
    }

    /** Every smoke check on every droplet: the droplets at once, each droplet's checks one after the other. */
    private Mono<List<DropletProgress>> smoke(List<DropletSpec> droplets, List<DropletProgress> progress,
            HealthCheckSpec check) {
        if (check.smoke().isEmpty()) {
            return Mono.just(progress);
        }
        Map<Long, DropletSpec> byId = droplets.stream()
                .collect(Collectors.toMap(DropletSpec::id, Function.identity(), (first, second) -> first));
        List<Expectation> expectations = check.smoke().stream()
                .map(smoke -> Expectation.of(smoke, check.timeout()))
                .toList();
        return Flux.fromIterable(progress)
                .flatMapSequential(droplet -> Flux.fromIterable(expectations)
                        .concatMap(expected -> prober.probeOnce(byId.get(droplet.dropletId()), expected)
                                .map(result -> new DropletProgress.SmokeOutcome(expected, result)))
                        .collectList()
                        .map(droplet::withSmoke))
                .collectList();
    }

    private static PipelineEvent verdict(EnvironmentProvisioned provisioned, HealthCheckSpec check,
            List<DropletProgress> droplets, long durationMs) {
        int passesNeeded = check.successesInARow();
        List<DropletHealth> health = droplets.stream().map(droplet -> droplet.health(passesNeeded)).toList();
        String failures = droplets.stream()
                .flatMap(droplet -> droplet.passed(passesNeeded)
                        ? droplet.smokeFailures().stream()
                        : Stream.of(droplet.failure(passesNeeded, Durations.inWords(check.deadline()))))
                .collect(Collectors.joining(". "));
        if (failures.isEmpty()) {
            return new EnvironmentHealthy(provisioned.app(), provisioned.colour(), provisioned.ref(),
                    provisioned.commit(), health, durationMs);
        }
        return unhealthy(provisioned, failures, health, durationMs);
    }

    private static EnvironmentUnhealthy unhealthy(EnvironmentProvisioned provisioned, String reason,
            List<DropletHealth> droplets, long durationMs) {
        return new EnvironmentUnhealthy(provisioned.app(), provisioned.colour(), provisioned.ref(), reason, droplets,
                durationMs);
    }
}

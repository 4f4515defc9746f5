package dev.bluegreen.monitor.probing;

import java.util.List;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.HealthCheckSpec;
import dev.bluegreen.events.DropletHealth;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.PipelineEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Checks every droplet of a freshly provisioned colour at once, and turns their progress into
 * {@link EnvironmentHealthy} or {@link EnvironmentUnhealthy}.
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
        return Flux.fromIterable(app.droplets(provisioned.colour()))
                .flatMapSequential(droplet -> prober.probe(droplet, check))
                .collectList()
                .elapsed()
                .map(timed -> verdict(provisioned, check, timed.getT2(), timed.getT1()));
    }

    private static PipelineEvent verdict(EnvironmentProvisioned provisioned, HealthCheckSpec check,
            List<DropletProgress> droplets, long durationMs) {
        int passesNeeded = check.successesInARow();
        List<DropletHealth> health = droplets.stream().map(droplet -> droplet.health(passesNeeded)).toList();
        String failures = droplets.stream()
                .filter(droplet -> !droplet.passed(passesNeeded))
                .map(droplet -> droplet.failure(passesNeeded, Durations.inWords(check.deadline())))
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

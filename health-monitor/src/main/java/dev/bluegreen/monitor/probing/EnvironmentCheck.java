package dev.bluegreen.monitor.probing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.apps.HealthCheckSpec;
import dev.bluegreen.events.DropletHealth;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.probe.Durations;
import dev.bluegreen.probe.Expectation;
import dev.bluegreen.probe.HealthProbe;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Checks every droplet of a freshly provisioned colour at once; once all have passed their health check, runs the
 * app's smoke checks on each; and turns the outcome into {@link EnvironmentHealthy} or {@link EnvironmentUnhealthy}.
 * It only probes: starting, stopping and publishing are {@link EnvironmentChecks}' part.
 */
@Component
class EnvironmentCheck {

    private final DropletProber prober;
    private final HealthProbe probe;

    EnvironmentCheck(DropletProber prober, HealthProbe probe) {
        this.prober = prober;
        this.probe = probe;
    }

    /**
     * Checks the candidate's droplets, giving each {@code timeLeft} from now to pass its health check: what is left
     * of the app's health deadline, which counts from when the colour was provisioned.
     */
    Mono<PipelineEvent> check(Candidate candidate, AppSpec app, Duration timeLeft) {
        HealthCheckSpec check = app.health();
        List<DropletSpec> droplets = app.droplets(candidate.colour());
        return Flux.fromIterable(droplets)
                .flatMapSequential(droplet -> prober.probe(droplet, check, timeLeft))
                .collectList()
                .flatMap(progress -> allPassed(progress, check)
                        ? smoke(droplets, progress, check)
                        : Mono.just(progress))
                .elapsed()
                .map(timed -> verdict(candidate, check, timed.getT2(), timed.getT1()));
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
                        .concatMap(expected -> probe.probe(byId.get(droplet.dropletId()), expected)
                                .map(result -> new DropletProgress.SmokeOutcome(expected, result)))
                        .collectList()
                        .map(droplet::withSmoke))
                .collectList();
    }

    private static PipelineEvent verdict(Candidate candidate, HealthCheckSpec check, List<DropletProgress> droplets,
            long durationMs) {
        int passesNeeded = check.successesInARow();
        List<DropletHealth> health = droplets.stream().map(droplet -> droplet.health(passesNeeded)).toList();
        String failures = droplets.stream()
                .flatMap(droplet -> droplet.passed(passesNeeded)
                        ? droplet.smokeFailures().stream()
                        : Stream.of(droplet.failure(passesNeeded, Durations.inWords(check.deadline()))))
                .collect(Collectors.joining(". "));
        if (failures.isEmpty()) {
            return new EnvironmentHealthy(candidate.app(), candidate.colour(), candidate.ref(), candidate.commit(),
                    health, durationMs);
        }
        return new EnvironmentUnhealthy(candidate.app(), candidate.colour(), candidate.ref(), failures, health,
                durationMs);
    }
}

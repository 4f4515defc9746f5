package dev.bluegreen.monitor.probing;

import java.time.Duration;

import org.springframework.stereotype.Component;

import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.apps.HealthCheckSpec;
import dev.bluegreen.probe.Expectation;
import dev.bluegreen.probe.HealthProbe;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The health check of one droplet: it repeats the {@link HealthProbe} every {@code interval} until the droplet has
 * passed {@code successesInARow} probes in a row or its deadline has passed.
 */
@Component
class DropletProber {

    private final HealthProbe probe;

    DropletProber(HealthProbe probe) {
        this.probe = probe;
    }

    /** The droplet's progress when it passed, or when {@code deadline} cut it short. */
    Mono<DropletProgress> probe(DropletSpec droplet, HealthCheckSpec check, Duration deadline) {
        Expectation expectation = Expectation.of(check);
        return Flux.interval(Duration.ZERO, check.interval())
                // a probe slower than the interval skips ticks rather than queueing probes behind it
                .onBackpressureDrop()
                .concatMap(tick -> probe.probe(droplet, expectation), 1)
                .scan(DropletProgress.notProbedYet(droplet.id()), DropletProgress::after)
                .takeUntil(progress -> progress.passed(check.successesInARow()))
                .take(deadline)
                .last()
                .elapsed()
                .map(timed -> timed.getT2().took(timed.getT1()));
    }
}

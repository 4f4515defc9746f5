package dev.bluegreen.monitor.probing;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.apps.HealthCheckSpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Probes one droplet's health path directly, at its own address and never through the load balancer, every
 * {@code interval}, until it has passed {@code successesInARow} probes in a row or the {@code deadline} has passed.
 */
@Component
class DropletProber {

    private final WebClient webClient;

    DropletProber(WebClient.Builder webClientBuilder) {
        this.webClient = webClientBuilder.build();
    }

    /** The droplet's progress when it passed, or when the deadline cut it short. */
    Mono<DropletProgress> probe(DropletSpec droplet, HealthCheckSpec check) {
        URI url = UriComponentsBuilder.fromUriString(droplet.http()).path(check.path()).build().toUri();
        return Flux.interval(Duration.ZERO, check.interval())
                // a probe slower than the interval skips ticks rather than queueing probes behind it
                .onBackpressureDrop()
                .concatMap(tick -> probeOnce(url, check), 1)
                .scan(DropletProgress.notProbedYet(droplet.id()), DropletProgress::after)
                .takeUntil(progress -> progress.passed(check.successesInARow()))
                .take(check.deadline())
                .last();
    }

    private Mono<ProbeResult> probeOnce(URI url, HealthCheckSpec check) {
        return webClient.get().uri(url)
                .exchangeToMono(response -> answer(response, check.expectedStatus()))
                .elapsed()
                .map(timed -> timed.getT2().result(check.expectedStatus(), Duration.ofMillis(timed.getT1())))
                .timeout(check.timeout())
                .onErrorResume(error -> Mono.just(ProbeResult.unanswered(describe(error, check.timeout()))));
    }

    /** Reads the body only when the status is not the expected one: it may say what is wrong. */
    private static Mono<Answer> answer(ClientResponse response, int expectedStatus) {
        int status = response.statusCode().value();
        if (status == expectedStatus) {
            return response.releaseBody().thenReturn(new Answer(status, ""));
        }
        return response.bodyToMono(String.class)
                .onErrorReturn("")
                .defaultIfEmpty("")
                .map(body -> new Answer(status, body));
    }

    private static String describe(Throwable error, Duration timeout) {
        if (error instanceof TimeoutException) {
            return "no answer within " + Durations.inWords(timeout);
        }
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(error);
        if (cause instanceof UnknownHostException) {
            return "unknown host " + cause.getMessage();
        }
        if (cause instanceof ConnectException && String.valueOf(cause.getMessage()).contains("refused")) {
            return "connection refused";
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private record Answer(int status, String body) {

        ProbeResult result(int expectedStatus, Duration took) {
            return ProbeResult.answered(status, expectedStatus, took, body);
        }
    }
}

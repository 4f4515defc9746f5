package dev.bluegreen.monitor.probing;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.apps.HealthCheckSpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Probes droplets directly, at their own address and never through the load balancer: one probe at a time, or the
 * health check, which repeats the probe every {@code interval} until it has passed {@code successesInARow} probes in
 * a row or its deadline has passed.
 */
@Component
public class DropletProber {

    /** The most of an answer's body read for a body check: a page larger than this fails the check. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final WebClient webClient;

    DropletProber(WebClient.Builder webClientBuilder) {
        this.webClient = webClientBuilder.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_BODY_BYTES))
                .build();
    }

    /** The droplet's progress when it passed, or when {@code deadline} cut it short. */
    Mono<DropletProgress> probe(DropletSpec droplet, HealthCheckSpec check, Duration deadline) {
        Expectation expectation = Expectation.of(check);
        return Flux.interval(Duration.ZERO, check.interval())
                // a probe slower than the interval skips ticks rather than queueing probes behind it
                .onBackpressureDrop()
                .concatMap(tick -> probeOnce(droplet, expectation), 1)
                .scan(DropletProgress.notProbedYet(droplet.id()), DropletProgress::after)
                .takeUntil(progress -> progress.passed(check.successesInARow()))
                .take(deadline)
                .last()
                .elapsed()
                .map(timed -> timed.getT2().took(timed.getT1()));
    }

    /** One GET of the expected path on the droplet; never fails: a droplet that does not answer is an outcome too. */
    public Mono<ProbeResult> probeOnce(DropletSpec droplet, Expectation expected) {
        URI url = UriComponentsBuilder.fromUriString(droplet.http()).path(expected.path()).build().toUri();
        return webClient.get().uri(url)
                .exchangeToMono(response -> answer(response, expected))
                .elapsed()
                .map(timed -> timed.getT2().result(Duration.ofMillis(timed.getT1()), expected))
                .timeout(expected.timeout())
                .onErrorResume(error -> Mono.just(ProbeResult.unanswered(describe(error, expected.timeout()))));
    }

    /**
     * Reads the body when a text is expected in it, or when the status is not the expected one: then it may say
     * what is wrong.
     */
    private static Mono<Answer> answer(ClientResponse response, Expectation expected) {
        int status = response.statusCode().value();
        if (status == expected.expectedStatus() && !expected.wantsBody()) {
            return response.releaseBody().thenReturn(new Answer(status, ""));
        }
        Mono<String> body = response.bodyToMono(String.class);
        if (status != expected.expectedStatus()) {
            body = body.onErrorReturn("");
        }
        return body.defaultIfEmpty("").map(text -> new Answer(status, text));
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
        if (cause instanceof DataBufferLimitException) {
            return "an answer larger than " + MAX_BODY_BYTES / 1024 + " KB, too large to search for the expected text";
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private record Answer(int status, String body) {

        ProbeResult result(Duration took, Expectation expected) {
            return ProbeResult.answered(status, body, took, expected);
        }
    }
}

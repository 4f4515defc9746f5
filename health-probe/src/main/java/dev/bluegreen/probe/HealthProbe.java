package dev.bluegreen.probe;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

import dev.bluegreen.apps.DropletSpec;
import reactor.core.publisher.Mono;

/**
 * One GET of a droplet's health (or smoke check) path, at the droplet's own address and never through the load
 * balancer, judged against an {@link Expectation}. The health-monitor repeats it to check and to watch a colour; the
 * preflight sends it once per droplet, so a path or port mistake shows there first.
 */
public class HealthProbe {

    /** The most of an answer's body read for a body check: a page larger than this fails the check. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final WebClient webClient;

    public HealthProbe(WebClient.Builder webClientBuilder) {
        this.webClient = webClientBuilder.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_BODY_BYTES))
                .build();
    }

    /** The URL a probe of {@code path} asks on the droplet: its {@code http} address with the path appended. */
    public static URI url(DropletSpec droplet, String path) {
        return UriComponentsBuilder.fromUriString(droplet.http()).path(path).build().toUri();
    }

    /** One GET of the expected path on the droplet; never fails: a droplet that does not answer is an outcome too. */
    public Mono<ProbeResult> probe(DropletSpec droplet, Expectation expected) {
        return webClient.get().uri(url(droplet, expected.path()))
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

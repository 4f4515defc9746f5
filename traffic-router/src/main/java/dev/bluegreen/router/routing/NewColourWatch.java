package dev.bluegreen.router.routing;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import dev.bluegreen.apps.VerifySpec;
import dev.bluegreen.digitalocean.DigitalOceanClient;
import dev.bluegreen.digitalocean.DigitalOceanException;
import dev.bluegreen.digitalocean.LoadBalancer;
import dev.bluegreen.trafficplan.BalancerState;
import dev.bluegreen.trafficplan.HealthReading;
import dev.bluegreen.trafficplan.SwitchTimings;
import dev.bluegreen.trafficplan.SwitchWords;
import dev.bluegreen.trafficplan.VerifyRequest;
import reactor.core.publisher.Mono;

/**
 * Tells when the droplets just added to a balancer can serve, so that the old colour may go. By the best means the
 * app and the balancer allow, each bounded by the settle timeout:
 * <ol>
 * <li>{@code routing.verify}: the router asks the app through the balancer until the new version answers;</li>
 * <li>the balancer's health metrics, where a current sample names every new droplet by id, passing;</li>
 * <li>where no current sample names them (no such labels, no series, 404, samples minutes apart): the time the
 * balancer needs to pass a new droplet, {@code healthy_threshold x check_interval_seconds} plus one interval.</li>
 * </ol>
 * A current sample that names a new droplet failing stops the third way: the switch waits on, and gives up at the
 * settle timeout.
 */
@Component
class NewColourWatch {

    private static final Logger log = LoggerFactory.getLogger(NewColourWatch.class);

    static final Duration VERIFY_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final DigitalOceanClient digitalOcean;
    private final WebClient http;
    private final Clock clock;

    NewColourWatch(DigitalOceanClient digitalOcean, WebClient.Builder http) {
        this.digitalOcean = digitalOcean;
        this.http = http.build();
        this.clock = Clock.systemUTC();
    }

    /**
     * Completes with how the balancer was seen to serve {@code dropletIds} of the move's target, added just before
     * this is subscribed to, or fails with {@link NotServing} after {@code settleTimeout}.
     */
    Mono<String> await(BalancerState balancer, Move move, List<Long> dropletIds, Duration settleTimeout) {
        return Mono.defer(() -> {
            Instant addedAt = clock.instant();
            VerifySpec verify = balancer.spec().routing().verify();
            String expected = verify == null ? null
                    : VerifyRequest.expected(verify, move.app(), move.target(), move.arriving(), move.leaving());
            if (verify != null && expected != null) {
                return byVerify(balancer, verify, expected, settleTimeout);
            }
            if (verify != null) {
                log.info("routing.verify cannot tell {}'s {} colour from {} for {}: the history does not say what "
                        + "{} runs, or both run the same; going by load balancer {}'s health instead.", move.app(),
                        move.target(), move.from(), move.describe(), move.target(), balancer.id());
            }
            return byHealth(balancer, dropletIds, addedAt, settleTimeout);
        });
    }

    private Mono<String> byVerify(BalancerState balancer, VerifySpec verify, String expected,
            Duration settleTimeout) {
        URI url;
        try {
            url = VerifyRequest.url(verify, balancer.loadBalancer());
        } catch (IllegalStateException noAddress) {
            return Mono.error(new NotServing(settleTimeout, noAddress.getMessage()));
        }
        AtomicReference<String> last = new AtomicReference<>("no answer yet");
        Mono<Boolean> ask = http.get().uri(url)
                // a fresh connection each time, so a balancer that picks a droplet per connection picks again
                .header(HttpHeaders.CONNECTION, "close")
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("").map(body -> {
                    last.set(response.statusCode().value() + " \"" + VerifyRequest.excerpt(body) + "\"");
                    return response.statusCode().is2xxSuccessful() && body.contains(expected);
                }))
                .timeout(VERIFY_REQUEST_TIMEOUT)
                .onErrorResume(error -> {
                    last.set("no answer: " + SwitchWords.why(error));
                    return Mono.just(false);
                });
        return ask.filter(Boolean::booleanValue)
                .repeatWhenEmpty(polls -> polls.delayElements(SwitchTimings.VERIFY_POLL))
                .map(answered -> "GET " + url + " answered \"" + expected + "\" through the balancer")
                .timeout(settleTimeout, Mono.error(() -> new NotServing(settleTimeout, "GET " + url
                        + " through the balancer never answered \"" + expected + "\"; the last answer was "
                        + last.get())));
    }

    private Mono<String> byHealth(BalancerState balancer, List<Long> dropletIds, Instant addedAt,
            Duration settleTimeout) {
        LoadBalancer loadBalancer = balancer.loadBalancer();
        Instant due = addedAt.plus(loadBalancer.timeToServe());
        AtomicReference<HealthReading> last = new AtomicReference<>();
        Mono<HealthReading> read = Mono.defer(() -> digitalOcean.dropletHealth(balancer.id(), addedAt)
                .map(metrics -> HealthReading.of(metrics, dropletIds, addedAt, clock.instant(),
                        SwitchTimings.staleAfter(loadBalancer)))
                .onErrorResume(DigitalOceanException.class, error -> Mono.just(HealthReading.unavailable(
                        error.status() != 404, error.status() == 404 ? "the metrics path answered 404"
                                : "they could not be read: " + SwitchWords.why(error)))))
                .doOnNext(last::set);
        return read.flatMap(reading -> decide(reading, loadBalancer, due))
                .repeatWhenEmpty(polls -> polls.delayElements(SwitchTimings.HEALTH_POLL))
                .timeout(settleTimeout, Mono.error(() -> new NotServing(settleTimeout,
                        whyNot(last.get(), loadBalancer, dropletIds, settleTimeout))));
    }

    /** How the droplets were seen to serve, or empty to read again. */
    private Mono<String> decide(HealthReading reading, LoadBalancer loadBalancer, Instant due) {
        if (reading.allPassing()) {
            return Mono.just("its health metrics show " + reading.describePassing());
        }
        if (!reading.namesNone()) {
            return Mono.empty();
        }
        String waited = "no current health metric names them (" + reading.silence() + "), so the router waited "
                + SwitchWords.seconds(loadBalancer.timeToServe()) + " (" + SwitchTimings.timeToServe(loadBalancer)
                + ")";
        Duration left = Duration.between(clock.instant(), due);
        if (!reading.offered()) {
            return Mono.delay(left.isNegative() ? Duration.ZERO : left).thenReturn(waited);
        }
        return left.isNegative() || left.isZero() ? Mono.just(waited) : Mono.empty();
    }

    private static String whyNot(@Nullable HealthReading last, LoadBalancer loadBalancer, List<Long> dropletIds,
            Duration settleTimeout) {
        if (last != null && !last.namesNone()) {
            return "the balancer's health check still fails on droplets " + SwitchWords.joined(last.notPassing());
        }
        String silence = last == null ? "no answer yet" : last.silence();
        String needs = "no current health metric names droplets " + SwitchWords.joined(dropletIds) + " ("
                + silence + ")";
        return loadBalancer.timeToServe().compareTo(settleTimeout) > 0 ? needs + ", and the balancer needs "
                + SwitchWords.seconds(loadBalancer.timeToServe()) + " to pass a new droplet ("
                + SwitchTimings.timeToServe(loadBalancer) + "): set routing.settle-timeout above that, or "
                + "routing.verify" : needs;
    }

    /** The new colour did not come to serve within the settle timeout. */
    static final class NotServing extends RuntimeException {

        private final Duration settleTimeout;

        NotServing(Duration settleTimeout, String detail) {
            super(detail, null, false, false);
            this.settleTimeout = settleTimeout;
        }

        Duration settleTimeout() {
            return settleTimeout;
        }

        String detail() {
            return String.valueOf(getMessage());
        }
    }
}

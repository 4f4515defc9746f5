package dev.bluegreen.digitalocean;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * The DigitalOcean API, one method per remote call. Traffic moves only by adding and removing droplets (or tags):
 * a {@code PUT} of the load balancer would reset every setting it left out.
 *
 * <p>Every call is retried, a bounded number of times with a doubling back-off, when it may succeed later: no
 * answer, 429 (after the wait DigitalOcean asks for), 5xx, a balancer still busy with its previous change (403), a
 * reserved IP whose previous action is still pending (422). Other 4xx fail at once.
 */
public class DigitalOceanClient {

    private static final Logger log = LoggerFactory.getLogger(DigitalOceanClient.class);

    private static final String DROPLETS_OF_BALANCER = "/v2/load_balancers/{id}/droplets";
    private static final String TAG_RESOURCES = "/v2/tags/{tag}/resources";
    /** DigitalOcean asks for at most an hour; waiting longer than this would only hide a stuck switch. */
    private static final Duration LONGEST_ASKED_WAIT = Duration.ofMinutes(2);

    private final WebClient webClient;
    private final Duration timeout;
    private final String token;
    private final DigitalOceanProperties.Retry retry;
    private final Clock clock;
    private final Scheduler scheduler;

    @Autowired
    public DigitalOceanClient(WebClient.Builder webClientBuilder, DigitalOceanProperties settings) {
        this(webClientBuilder, settings, Clock.systemUTC(), Schedulers.parallel());
    }

    /**
     * @param clock reads a 429's {@code ratelimit-reset} against now
     * @param scheduler where back-off waits run; a virtual-time one in tests
     */
    DigitalOceanClient(WebClient.Builder webClientBuilder, DigitalOceanProperties settings, Clock clock,
            Scheduler scheduler) {
        this.webClient = webClientBuilder.baseUrl(settings.apiUrl().toString())
                .defaultHeaders(headers -> headers.setBearerAuth(settings.token()))
                .build();
        this.timeout = settings.timeout();
        this.token = settings.token();
        this.retry = settings.retry();
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /** {@code GET /v2/account}: whose token this is, and whether the account may be used. */
    public Mono<Account> getAccount() {
        return send(webClient.get().uri("/v2/account"), AccountAnswer.class).map(AccountAnswer::account);
    }

    /** {@code GET /v2/load_balancers/{id}}. */
    public Mono<LoadBalancer> getLoadBalancer(String id) {
        return send(webClient.get().uri("/v2/load_balancers/{id}", id), LoadBalancerAnswer.class)
                .map(LoadBalancerAnswer::loadBalancer);
    }

    /** {@code POST /v2/load_balancers/{id}/droplets}: the balancer starts sending traffic to these droplets too. */
    public Mono<Void> addDroplets(String loadBalancerId, List<Long> dropletIds) {
        return send(webClient.post().uri(DROPLETS_OF_BALANCER, loadBalancerId)
                .bodyValue(Map.of("droplet_ids", dropletIds)), Void.class);
    }

    /** {@code DELETE /v2/load_balancers/{id}/droplets}: the balancer stops sending traffic to these droplets. */
    public Mono<Void> removeDroplets(String loadBalancerId, List<Long> dropletIds) {
        return send(webClient.method(HttpMethod.DELETE).uri(DROPLETS_OF_BALANCER, loadBalancerId)
                .bodyValue(Map.of("droplet_ids", dropletIds)), Void.class);
    }

    /** {@code POST /v2/tags/{tag}/resources}: a balancer that targets the tag starts sending them traffic. */
    public Mono<Void> tagDroplets(String tag, List<Long> dropletIds) {
        return send(webClient.post().uri(TAG_RESOURCES, tag).bodyValue(resources(dropletIds)), Void.class);
    }

    /** {@code DELETE /v2/tags/{tag}/resources}: a balancer that targets the tag stops sending them traffic. */
    public Mono<Void> untagDroplets(String tag, List<Long> dropletIds) {
        return send(webClient.method(HttpMethod.DELETE).uri(TAG_RESOURCES, tag).bodyValue(resources(dropletIds)),
                Void.class);
    }

    /** {@code GET /v2/droplets/{id}}. */
    public Mono<Droplet> getDroplet(long dropletId) {
        return send(webClient.get().uri("/v2/droplets/{id}", dropletId), DropletAnswer.class)
                .map(DropletAnswer::droplet);
    }

    /**
     * {@code GET /v2/monitoring/metrics/load_balancer/droplets_health_checks} from {@code since} until now: whether
     * the balancer's own health check passed on each droplet its series name, as of their latest samples.
     */
    public Mono<HealthMetrics> dropletHealth(String loadBalancerId, Instant since) {
        // the window ends now at each subscription, so a repeated poll reads the latest samples
        return Mono.defer(() -> {
            long now = clock.instant().getEpochSecond();
            return send(webClient.get().uri(builder -> builder
                    .path("/v2/monitoring/metrics/load_balancer/droplets_health_checks")
                    .queryParam("lb_id", loadBalancerId)
                    .queryParam("start", String.valueOf(Math.min(since.getEpochSecond(), now)))
                    .queryParam("end", String.valueOf(now))
                    .build()), Metrics.class);
        }).map(Metrics::health);
    }

    /** {@code GET /v2/reserved_ips/{ip}}: the droplet it points at, or empty when it is unassigned. */
    public Mono<ReservedIp> getReservedIp(String ip) {
        return send(webClient.get().uri("/v2/reserved_ips/{ip}", ip), ReservedIpAnswer.class)
                .map(ReservedIpAnswer::reservedIp);
    }

    /** {@code POST /v2/reserved_ips/{ip}/actions} {@code assign}: the action that moves the IP, still running. */
    public Mono<Action> assignReservedIp(String ip, long dropletId) {
        return send(webClient.post().uri("/v2/reserved_ips/{ip}/actions", ip)
                .bodyValue(Map.of("type", "assign", "droplet_id", dropletId)), ActionAnswer.class)
                .map(ActionAnswer::action);
    }

    /** {@code GET /v2/actions/{id}}. */
    public Mono<Action> getAction(long actionId) {
        return send(webClient.get().uri("/v2/actions/{id}", actionId), ActionAnswer.class).map(ActionAnswer::action);
    }

    /** Every call goes through here: each subscription sends the request again, so a retry is a resubscription. */
    private <T> Mono<T> send(WebClient.RequestHeadersSpec<?> request, Class<T> answerType) {
        return Mono.defer(() -> once(request, answerType)).retryWhen(retryPolicy());
    }

    private <T> Mono<T> once(WebClient.RequestHeadersSpec<?> request, Class<T> answerType) {
        return request.retrieve()
                .onStatus(HttpStatusCode::isError, this::failure)
                .bodyToMono(answerType)
                .timeout(timeout, Mono.error(() -> new DigitalOceanException(0, null,
                        "DigitalOcean did not answer within " + timeout.toMillis() + " ms")), scheduler)
                .onErrorMap(WebClientRequestException.class, error -> new DigitalOceanException(
                        "Could not reach DigitalOcean: " + withoutToken(
                                NestedExceptionUtils.getMostSpecificCause(error).getMessage()), error));
    }

    private Retry retryPolicy() {
        return Retry.from(failures -> failures.concatMap(failure -> {
            int attempts = (int) failure.totalRetries() + 1;
            if (!(failure.failure() instanceof DigitalOceanException error) || !error.retriable()) {
                return Mono.error(failure.failure());
            }
            if (attempts >= retry.maxAttempts()) {
                return Mono.error(attempts == 1 ? error : error.afterAttempts(attempts));
            }
            Duration wait = waitBefore(attempts, error);
            log.debug("Calling DigitalOcean again in {} ms (attempt {} of {}): {}", wait.toMillis(), attempts + 1,
                    retry.maxAttempts(), error.getMessage());
            return Mono.delay(wait, scheduler);
        }));
    }

    /** What DigitalOcean asked for, else the first back-off doubled per attempt, capped, with a little jitter. */
    private Duration waitBefore(int attempts, DigitalOceanException error) {
        Duration asked = error.askedWait();
        if (asked != null) {
            return asked.compareTo(LONGEST_ASKED_WAIT) > 0 ? LONGEST_ASKED_WAIT : asked;
        }
        long doubled = retry.firstBackoff().toMillis() << Math.min(attempts - 1, 20);
        long capped = Math.min(doubled, retry.maxBackoff().toMillis());
        long jitter = capped / 4 == 0 ? 0 : ThreadLocalRandom.current().nextLong(capped / 4);
        return Duration.ofMillis(capped - jitter);
    }

    private Mono<DigitalOceanException> failure(ClientResponse response) {
        int status = response.statusCode().value();
        Duration asked = status == 429 ? askedWait(response.headers().asHttpHeaders()) : null;
        return response.bodyToMono(ErrorBody.class)
                .onErrorResume(unreadable -> Mono.empty())
                .map(body -> new DigitalOceanException(status, body.id(), withoutToken(body.describe(status)), asked))
                .defaultIfEmpty(new DigitalOceanException(status, null,
                        "DigitalOcean answered " + status + " without an error body", asked));
    }

    /** A 429's {@code retry-after} (seconds), else the time until its {@code ratelimit-reset} (epoch seconds). */
    private @Nullable Duration askedWait(HttpHeaders headers) {
        Long retryAfter = number(headers.getFirst("retry-after"));
        if (retryAfter != null) {
            return Duration.ofSeconds(Math.max(0, retryAfter));
        }
        Long reset = number(headers.getFirst("ratelimit-reset"));
        if (reset != null) {
            Duration left = Duration.between(clock.instant(), Instant.ofEpochSecond(reset));
            return left.isNegative() ? Duration.ZERO : left;
        }
        return null;
    }

    private static @Nullable Long number(@Nullable String header) {
        try {
            return header == null ? null : Long.valueOf(header.trim());
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    /** The API never echoes the token, but a proxy in between might: it must not reach an event or a log. */
    private String withoutToken(@Nullable String text) {
        return text == null ? "" : text.replace(token, "(token)");
    }

    private static Map<String, Object> resources(List<Long> dropletIds) {
        return Map.of("resources", dropletIds.stream()
                .map(id -> Map.of("resource_id", String.valueOf(id), "resource_type", "droplet"))
                .toList());
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record LoadBalancerAnswer(@JsonProperty("load_balancer") LoadBalancer loadBalancer) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record DropletAnswer(Droplet droplet) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AccountAnswer(Account account) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ReservedIpAnswer(@JsonProperty("reserved_ip") ReservedIp reservedIp) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ActionAnswer(Action action) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorBody(@Nullable String id, @Nullable String message,
            @JsonProperty("request_id") @Nullable String requestId) {

        /** Such as "DigitalOcean answered 404 not_found: The resource ... could not be found (request id ...)". */
        String describe(int status) {
            String said = message == null ? "" : message.endsWith(".") ? message.substring(0, message.length() - 1)
                    : message;
            return "DigitalOcean answered " + status + (id == null ? "" : " " + id) + ": " + said
                    + (requestId == null ? "" : " (request id " + requestId + ")");
        }
    }
}

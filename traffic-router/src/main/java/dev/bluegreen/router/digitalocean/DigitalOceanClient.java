package dev.bluegreen.router.digitalocean;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import reactor.core.publisher.Mono;

/**
 * The DigitalOcean API, one method per remote call. Traffic moves only by adding and removing droplets: a
 * {@code PUT} of the load balancer would reset every setting it left out.
 */
@Component
public class DigitalOceanClient {

    private static final String DROPLETS_OF_BALANCER = "/v2/load_balancers/{id}/droplets";

    private final WebClient webClient;
    private final Duration timeout;
    private final String token;

    DigitalOceanClient(WebClient.Builder webClientBuilder, DigitalOceanProperties settings) {
        this.webClient = webClientBuilder.baseUrl(settings.apiUrl().toString())
                .defaultHeaders(headers -> headers.setBearerAuth(settings.token()))
                .build();
        this.timeout = settings.timeout();
        this.token = settings.token();
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

    /**
     * Every call goes through here, so a retry policy (429, 5xx, a busy balancer's 403) can wrap them all: the
     * returned Mono sends the request again on each subscription.
     */
    private <T> Mono<T> send(WebClient.RequestHeadersSpec<?> request, Class<T> answerType) {
        return request.retrieve()
                .onStatus(HttpStatusCode::isError, this::failure)
                .bodyToMono(answerType)
                .timeout(timeout, Mono.error(() -> new DigitalOceanException(0, null,
                        "DigitalOcean did not answer within " + timeout.toMillis() + " ms")))
                .onErrorMap(WebClientRequestException.class, error -> new DigitalOceanException(
                        "Could not reach DigitalOcean: " + withoutToken(
                                NestedExceptionUtils.getMostSpecificCause(error).getMessage()), error));
    }

    private Mono<DigitalOceanException> failure(ClientResponse response) {
        int status = response.statusCode().value();
        return response.bodyToMono(ErrorBody.class)
                .onErrorResume(unreadable -> Mono.empty())
                .map(body -> new DigitalOceanException(status, body.id(), withoutToken(body.describe(status))))
                .defaultIfEmpty(new DigitalOceanException(status, null,
                        "DigitalOcean answered " + status + " without an error body"));
    }

    /** The API never echoes the token, but a proxy in between might: it must not reach an event or a log. */
    private String withoutToken(@Nullable String text) {
        return text == null ? "" : text.replace(token, "(token)");
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record LoadBalancerAnswer(@JsonProperty("load_balancer") LoadBalancer loadBalancer) {
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

package dev.bluegreen.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses a request whose declared body is larger than {@code bluegreen.gateway.max-body-size} with {@code 413}
 * before reading it. A body sent without a length is held to the same limit by the codecs
 * ({@code spring.http.codecs.max-in-memory-size}, set from it in gateway.yml).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class BodySizeLimit implements WebFilter {

    private final long maxBytes;

    BodySizeLimit(Settings settings) {
        this.maxBytes = settings.maxBodySize().toBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long length = exchange.getRequest().getHeaders().getContentLength();
        if (length <= maxBytes) {
            return chain.filter(exchange);
        }
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.CONTENT_TOO_LARGE);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] body = ("{\"error\":\"" + tooLarge(maxBytes) + "\"}").getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    static String tooLarge(long maxBytes) {
        return "The request body is larger than the gateway accepts (" + maxBytes + " bytes)";
    }

    /**
     * @param maxBodySize the largest request body accepted; a webhook's payload must fit
     * @param requestTimeout how long a client may take to send a request's body, and to pause between its parts; a
     *     slower one is answered 408 and its connection closed, so slow clients cannot hold the gateway's connections
     */
    @ConfigurationProperties("bluegreen.gateway")
    record Settings(@DefaultValue("1MB") DataSize maxBodySize, @DefaultValue("10s") Duration requestTimeout) {
    }
}

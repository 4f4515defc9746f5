package dev.bluegreen.gateway;

import java.time.Duration;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.http.server.HttpServer;

import dev.bluegreen.apps.BadSetting;

/**
 * Holds each request's body to {@code bluegreen.gateway.request-timeout}, in all and between reads: Netty serves
 * every connection without a thread of its own, so a slow client costs no thread, but without a limit a few thousand
 * that trickle a body in (or never finish it) would each keep a connection and a buffer forever. The time a
 * connection may wait for a request at all is Spring Boot's {@code server.netty.idle-timeout} (gateway.yml). An event
 * stream is a response, not a request: neither limit cuts it.
 */
@Component
class SlowClients implements NettyServerCustomizer {

    private final Duration requestTimeout;

    SlowClients(BodySizeLimit.Settings settings) {
        this.requestTimeout = settings.requestTimeout();
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new BadSetting("bluegreen.gateway.request-timeout", "bluegreen.gateway.request-timeout is "
                    + requestTimeout + ", which no request could meet", "Set bluegreen.gateway.request-timeout to a "
                            + "positive duration, such as 10s.");
        }
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server.requestTimeout(requestTimeout).readTimeout(requestTimeout);
    }
}

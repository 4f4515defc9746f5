package dev.bluegreen.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.bluegreen.sandbox.digitalocean.DigitalOceanApiServer;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.RecordingProxy;
import dev.bluegreen.sandbox.digitalocean.SimulatorSettings;
import reactor.core.scheduler.Schedulers;

/** Calls that may succeed later are sent again, a bounded number of times; the others fail at once. */
class DigitalOceanRetryTest {

    private static final String TOKEN = "dop_v1_retry0123456789abcdef0123456789abcdef";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final DigitalOceanProperties.Retry QUICK =
            new DigitalOceanProperties.Retry(3, Duration.ofMillis(50), Duration.ofMillis(200));

    private final List<Instant> requests = new CopyOnWriteArrayList<>();
    private HttpServer stub;
    private DigitalOceanApiServer api;

    @AfterEach
    void stopServers() {
        if (stub != null) {
            stub.stop(0);
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void aServerErrorIsRetriedUntilTheCallSucceeds() {
        answering(attempt -> attempt == 1 ? 500 : 204);

        client(QUICK, Clock.systemUTC()).addDroplets("lb", List.of(1L)).block(WAIT);

        assertThat(requests).hasSize(2);
    }

    @Test
    void aDroppedConnectionIsRetriedUntilTheCallSucceeds() {
        answering(attempt -> attempt == 1 ? -1 : 204);

        client(QUICK, Clock.systemUTC()).removeDroplets("lb", List.of(1L)).block(WAIT);

        assertThat(requests).hasSize(2);
    }

    @Test
    void aRateLimitedCallWaitsAsLongAsRetryAfterAsks() {
        answering(attempt -> attempt == 1 ? 429 : 204);

        client(QUICK, Clock.systemUTC()).addDroplets("lb", List.of(1L)).block(WAIT);

        assertThat(requests).hasSize(2);
        assertThat(Duration.between(requests.get(0), requests.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void withoutRetryAfterARateLimitedCallWaitsUntilTheRateLimitResets() {
        Instant now = Instant.parse("2026-11-27T09:00:00Z");
        stub = StubServer.start(exchange -> {
            requests.add(Instant.now());
            if (requests.size() == 1) {
                exchange.getResponseHeaders().set("ratelimit-reset", String.valueOf(now.getEpochSecond() + 1));
                send(exchange, 429, "{\"id\":\"too_many_requests\",\"message\":\"API Rate limit exceeded.\"}");
            } else {
                send(exchange, 204, null);
            }
        });

        client(QUICK, Clock.fixed(now, ZoneOffset.UTC)).addDroplets("lb", List.of(1L)).block(WAIT);

        assertThat(requests).hasSize(2);
        assertThat(Duration.between(requests.get(0), requests.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void aServerThatKeepsFailingIsGivenUpOnAfterTheLastAttemptSayingSo() {
        answering(attempt -> 503);

        assertThatThrownBy(() -> client(QUICK, Clock.systemUTC()).addDroplets("lb", List.of(1L)).block(WAIT))
                .isInstanceOf(DigitalOceanException.class)
                .hasMessage("DigitalOcean answered 503 server_error: try again (gave up after 3 attempts)");
        assertThat(requests).hasSize(3);
    }

    @Test
    void aClientErrorIsNotRetried() {
        answering(attempt -> 422);

        assertThatThrownBy(() -> client(QUICK, Clock.systemUTC()).addDroplets("lb", List.of(1L)).block(WAIT))
                .hasMessage("DigitalOcean answered 422 server_error: try again");
        assertThat(requests).hasSize(1);
    }

    @Test
    void aForbiddenThatIsNotABusyBalancerIsNotRetried() {
        answering(attempt -> 403);

        assertThatThrownBy(() -> client(QUICK, Clock.systemUTC()).removeDroplets("lb", List.of(1L)).block(WAIT))
                .hasMessageContaining("403");
        assertThat(requests).hasSize(1);
    }

    @Test
    void aBalancerStillBusyWithTheAddIsAskedAgainUntilItTakesTheRemove() {
        DigitalOceanSimulator simulator =
                new DigitalOceanSimulator(SimulatorSettings.DEFAULTS.withBusyWindow(Duration.ofMillis(300)));
        api = DigitalOceanApiServer.start(simulator, TOKEN, 0);
        long blue = simulator.addDroplet("blue", URI.create("http://127.0.0.1:9"), List.of());
        long green = simulator.addDroplet("green", URI.create("http://127.0.0.1:9"), List.of());
        String id = simulator.addLoadBalancer("shop-lb", List.of(blue));
        RecordingProxy proxy = new RecordingProxy(api.baseUrl(), simulator);
        DigitalOceanClient client = new DigitalOceanClient(WebClient.builder(),
                new DigitalOceanProperties(URI.create(proxy.url()), TOKEN, Duration.ofSeconds(5),
                        new DigitalOceanProperties.Retry(10, Duration.ofMillis(50), Duration.ofMillis(100))));

        try (proxy) {
            client.addDroplets(id, List.of(green)).then(client.removeDroplets(id, List.of(blue))).block(WAIT);

            assertThat(simulator.dropletIdsOf(id)).containsExactly(green);
            assertThat(proxy.calls()).extracting(RecordingProxy.Call::status).contains(403).endsWith(204);
        }
    }

    private void answering(IntFunction<Integer> statusOfAttempt) {
        stub = StubServer.start(exchange -> {
            requests.add(Instant.now());
            int status = statusOfAttempt.apply(requests.size());
            if (status < 0) {
                exchange.close(); // no answer at all
            } else if (status == 429) {
                exchange.getResponseHeaders().set("retry-after", "1");
                send(exchange, 429, "{\"id\":\"too_many_requests\",\"message\":\"API Rate limit exceeded.\"}");
            } else if (status >= 400) {
                send(exchange, status, "{\"id\":\"server_error\",\"message\":\"try again\"}");
            } else {
                send(exchange, status, null);
            }
        });
    }

    private DigitalOceanClient client(DigitalOceanProperties.Retry retry, Clock clock) {
        return new DigitalOceanClient(WebClient.builder(), new DigitalOceanProperties(
                URI.create("http://127.0.0.1:" + stub.getAddress().getPort()), TOKEN, Duration.ofSeconds(5), retry),
                clock, Schedulers.parallel());
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

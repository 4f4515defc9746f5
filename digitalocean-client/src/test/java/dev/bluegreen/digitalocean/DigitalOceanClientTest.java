package dev.bluegreen.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

import com.sun.net.httpserver.HttpServer;

import dev.bluegreen.sandbox.digitalocean.DigitalOceanApiServer;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;

class DigitalOceanClientTest {

    private static final String TOKEN = "dop_v1_0123456789abcdef0123456789abcdef";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final DigitalOceanSimulator simulator = new DigitalOceanSimulator();
    private final DigitalOceanApiServer api = DigitalOceanApiServer.start(simulator, TOKEN, 0);
    private HttpServer stub;

    @AfterEach
    void stopServers() {
        api.close();
        if (stub != null) {
            stub.stop(0);
        }
    }

    @Test
    void readsWhichDropletsTheBalancerSendsTrafficTo() {
        List<Long> blue = List.of(droplet("blue-1"), droplet("blue-2"));
        String id = simulator.addLoadBalancer("shop-lb", blue);

        LoadBalancer balancer = client(api.baseUrl(), TOKEN).getLoadBalancer(id).block(WAIT);

        assertThat(balancer.id()).isEqualTo(id);
        assertThat(balancer.name()).isEqualTo("shop-lb");
        assertThat(balancer.status()).isEqualTo("active");
        assertThat(balancer.tag()).isNull();
        assertThat(balancer.dropletIds()).isEqualTo(blue);
    }

    @Test
    void addsAndRemovesDropletsById() {
        long blue = droplet("blue");
        long green = droplet("green");
        String id = simulator.addLoadBalancer("shop-lb", List.of(blue));
        DigitalOceanClient client = client(api.baseUrl(), TOKEN);

        client.addDroplets(id, List.of(green)).block(WAIT);
        assertThat(simulator.dropletIdsOf(id)).containsExactly(blue, green);

        client.removeDroplets(id, List.of(blue)).block(WAIT);
        assertThat(simulator.dropletIdsOf(id)).containsExactly(green);
    }

    @Test
    void anErrorAnswerCarriesTheStatusAndDigitalOceansIdAndMessage() {
        assertThatThrownBy(() -> client(api.baseUrl(), TOKEN).getLoadBalancer("no-such-balancer").block(WAIT))
                .isInstanceOfSatisfying(DigitalOceanException.class, error -> {
                    assertThat(error.status()).isEqualTo(404);
                    assertThat(error.errorId()).isEqualTo("not_found");
                })
                .hasMessageStartingWith(
                        "DigitalOcean answered 404 not_found: The resource you requested could not be found (request id ");
    }

    @Test
    void aTokenEchoedBackInAnErrorIsBlankedOut() {
        stub = StubServer.start(exchange -> {
            String echo = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] body = ("{\"id\":\"unauthorized\",\"message\":\"Token rejected: " + echo + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(401, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });

        assertThatThrownBy(() -> client(stubUrl(), TOKEN).getLoadBalancer("any").block(WAIT))
                .hasMessage("DigitalOcean answered 401 unauthorized: Token rejected: Bearer (token)");
    }

    @Test
    void anApiThatDoesNotAnswerInTimeIsAskedAgainThenFailsSayingSo() {
        stub = StubServer.start(exchange -> {
            // never answers
        });
        DigitalOceanClient client = new DigitalOceanClient(WebClient.builder(),
                new DigitalOceanProperties(URI.create(stubUrl()), TOKEN, Duration.ofMillis(300),
                        new DigitalOceanProperties.Retry(2, Duration.ofMillis(10), Duration.ofMillis(10))));

        assertThatThrownBy(() -> client.getLoadBalancer("any").block(WAIT))
                .isInstanceOf(DigitalOceanException.class)
                .hasMessage("DigitalOcean did not answer within 300 ms (gave up after 2 attempts)");
    }

    private long droplet(String name) {
        return simulator.addDroplet(name, URI.create("http://127.0.0.1:9"), List.of());
    }

    private static DigitalOceanClient client(String apiUrl, String token) {
        return new DigitalOceanClient(WebClient.builder(),
                new DigitalOceanProperties(URI.create(apiUrl), token, Duration.ofSeconds(5), null));
    }

    private String stubUrl() {
        return "http://127.0.0.1:" + stub.getAddress().getPort();
    }
}

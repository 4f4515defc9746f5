package dev.bluegreen.sandbox.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;

class LoadBalancerProxyTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private final DigitalOceanSimulator simulator = new DigitalOceanSimulator();
    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : running) {
            closeable.close();
        }
    }

    @Test
    void requestsAlternateBetweenTheAttachedDroplets() {
        long blue = droplet(TinyDroplet.saying("blue"));
        long green = droplet(TinyDroplet.saying("green"));
        LoadBalancerProxy proxy = proxy(simulator.addLoadBalancer("web", List.of(blue, green)));

        List<HttpResponse<String>> answers = IntStream.range(0, 4).mapToObj(i -> get(proxy, "/")).toList();

        assertThat(answers).extracting(HttpResponse::body).containsExactly("blue", "green", "blue", "green");
        assertThat(answers).extracting(answer -> answer.headers().firstValue(LoadBalancerProxy.DROPLET_HEADER).orElseThrow())
                .containsExactly(String.valueOf(blue), String.valueOf(green), String.valueOf(blue),
                        String.valueOf(green));
    }

    @Test
    void detachingADropletSendsEveryRequestToTheOther() {
        long blue = droplet(TinyDroplet.saying("blue"));
        long green = droplet(TinyDroplet.saying("green"));
        String lb = simulator.addLoadBalancer("web", List.of(blue, green));
        LoadBalancerProxy proxy = proxy(lb);
        get(proxy, "/");

        simulator.detachDroplets(lb, List.of(blue));

        assertThat(IntStream.range(0, 4).mapToObj(i -> get(proxy, "/").body()).toList())
                .containsOnly("green").hasSize(4);
    }

    @Test
    void withNoDropletAttachedTheBalancerAnswers503() {
        LoadBalancerProxy proxy = proxy(simulator.addLoadBalancer("web", List.of()));

        HttpResponse<String> answer = get(proxy, "/");

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.body()).isNotBlank();
        assertThat(answer.headers().firstValue(LoadBalancerProxy.DROPLET_HEADER)).isEmpty();
    }

    @Test
    void aDropletThatRefusesConnectionsIsSkippedForTheNextOne() throws IOException {
        long dead = simulator.addDroplet("dead", URI.create("http://127.0.0.1:" + closedPort()), List.of());
        long green = droplet(TinyDroplet.saying("green"));
        LoadBalancerProxy proxy = proxy(simulator.addLoadBalancer("web", List.of(dead, green)));

        assertThat(IntStream.range(0, 4).mapToObj(i -> get(proxy, "/").body()).toList())
                .containsExactly("green", "green", "green", "green");
    }

    @Test
    void whenNoAttachedDropletAnswersTheBalancerAnswers503() throws IOException {
        long dead = simulator.addDroplet("dead", URI.create("http://127.0.0.1:" + closedPort()), List.of());
        LoadBalancerProxy proxy = proxy(simulator.addLoadBalancer("web", List.of(dead)));

        assertThat(get(proxy, "/").statusCode()).isEqualTo(503);
    }

    @Test
    void forwardsMethodPathQueryHeadersAndBodyAndRelaysTheAnswer() throws Exception {
        long echo = droplet(TinyDroplet.handling(exchange -> {
            String seen = exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("X-Request-Tag") + " "
                    + exchange.getRequestHeaders().getFirst("X-Forwarded-For") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Set-Cookie", "a=1");
            exchange.getResponseHeaders().add("Set-Cookie", "b=2");
            TinyDroplet.answer(exchange, 201, seen);
        }));
        LoadBalancerProxy proxy = proxy(simulator.addLoadBalancer("web", List.of(echo)));

        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(proxy.url().resolve("/orders/7?expand=items%20all"))
                .header("X-Request-Tag", "t-1").POST(HttpRequest.BodyPublishers.ofString("{\"qty\":2}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(201);
        assertThat(answer.body()).isEqualTo("POST /orders/7?expand=items%20all t-1 127.0.0.1 {\"qty\":2}");
        assertThat(answer.headers().allValues("Set-Cookie")).containsExactlyInAnyOrder("a=1", "b=2");
        assertThat(answer.headers().firstValue(LoadBalancerProxy.DROPLET_HEADER)).contains(String.valueOf(echo));
    }

    @Test
    void servesManyRequestsAtOnce() {
        int concurrent = 20;
        CountDownLatch allArrived = new CountDownLatch(concurrent);
        long slow = droplet(TinyDroplet.handling(exchange -> {
            allArrived.countDown();
            try {
                // answers only once every request is in flight, which a one-at-a-time proxy never reaches
                boolean together = allArrived.await(10, TimeUnit.SECONDS);
                TinyDroplet.answer(exchange, together ? 200 : 500, together ? "together" : "alone");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        LoadBalancerProxy proxy = proxy(simulator.addLoadBalancer("web", List.of(slow)));

        List<CompletableFuture<HttpResponse<String>>> answers = IntStream.range(0, concurrent)
                .mapToObj(i -> client.sendAsync(HttpRequest.newBuilder(proxy.url().resolve("/")).build(),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();

        assertThat(answers).allSatisfy(answer -> assertThat(answer.join().statusCode()).isEqualTo(200));
    }

    private long droplet(TinyDroplet droplet) {
        running.add(droplet);
        return simulator.addDroplet("droplet-" + running.size(), droplet.http(), List.of());
    }

    private LoadBalancerProxy proxy(String lbId) {
        LoadBalancerProxy proxy = LoadBalancerProxy.start(simulator, lbId, 0);
        running.add(proxy);
        return proxy;
    }

    private HttpResponse<String> get(LoadBalancerProxy proxy, String path) {
        try {
            return client.send(HttpRequest.newBuilder(proxy.url().resolve(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A port nothing listens on: bound for a moment, then released. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package dev.bluegreen.sandbox.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.DropletHealth;
import dev.bluegreen.sandbox.digitalocean.HealthCheck;
import dev.bluegreen.sandbox.digitalocean.LoadBalancerSettings;
import dev.bluegreen.sandbox.digitalocean.SimulatorSettings;
import dev.bluegreen.testing.FreePorts;

class LoadBalancerProxyTest {

    /** Every 200 ms (3 s at the sandbox's time scale), 2 passes to join, 2 failures to leave. */
    private static final HealthCheck CHECK = new HealthCheck("http", 80, "/healthz", 3, 3, 2, 2);
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(5);

    private final HttpClient client = HttpClient.newHttpClient();
    private final DigitalOceanSimulator simulator = new DigitalOceanSimulator(SimulatorSettings.SANDBOX);
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
        LoadBalancerProxy proxy = proxy(balancer(blue, green));
        awaitHealthy(proxy, blue, green);

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
        String lb = balancer(blue, green);
        LoadBalancerProxy proxy = proxy(lb);
        awaitHealthy(proxy, blue, green);

        simulator.detachDroplets(lb, List.of(blue));

        assertThat(IntStream.range(0, 4).mapToObj(i -> get(proxy, "/").body()).toList())
                .containsOnly("green").hasSize(4);
    }

    @Test
    void withNoDropletAttachedTheBalancerAnswers503() {
        LoadBalancerProxy proxy = proxy(balancer());

        HttpResponse<String> answer = get(proxy, "/");

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.body()).isNotBlank();
        assertThat(answer.headers().firstValue(LoadBalancerProxy.DROPLET_HEADER)).isEmpty();
    }

    @Test
    void aDropletThatRefusesConnectionsNeverJoinsAndTheOtherServesEverything() throws IOException {
        long dead = simulator.addDroplet("dead", URI.create("http://127.0.0.1:" + FreePorts.any()), List.of());
        long green = droplet(TinyDroplet.saying("green"));
        LoadBalancerProxy proxy = proxy(balancer(dead, green));
        awaitHealthy(proxy, green);

        assertThat(IntStream.range(0, 4).mapToObj(i -> get(proxy, "/").body()).toList())
                .containsExactly("green", "green", "green", "green");
        assertThat(health(proxy, dead).healthy()).isFalse();
        assertThat(health(proxy, dead).consecutiveFailures()).isPositive();
    }

    @Test
    void whenNoAttachedDropletAnswersTheBalancerAnswers503() throws IOException {
        long dead = simulator.addDroplet("dead", URI.create("http://127.0.0.1:" + FreePorts.any()), List.of());
        LoadBalancerProxy proxy = proxy(balancer(dead));
        await().atMost(HEALTHY_WITHIN).until(() -> health(proxy, dead).consecutiveFailures() >= 2);

        assertThat(get(proxy, "/").statusCode()).isEqualTo(503);
    }

    @Test
    void aNewlyAttachedDropletGetsTrafficOnlyAfterItPassesTheHealthyThreshold() {
        long blue = droplet(TinyDroplet.saying("blue"));
        TinyDroplet sick = TinyDroplet.saying("green").healthy(false);
        long green = droplet(sick);
        String lb = balancer(blue);
        LoadBalancerProxy proxy = proxy(lb);
        awaitHealthy(proxy, blue);

        simulator.attachDroplets(lb, List.of(green));
        await().atMost(HEALTHY_WITHIN).until(() -> health(proxy, green).consecutiveFailures() >= 2);
        assertThat(IntStream.range(0, 4).mapToObj(i -> get(proxy, "/").body()).toList())
                .as("attached, but failing its health check").containsOnly("blue");

        sick.healthy(true);
        awaitHealthy(proxy, green);
        assertThat(health(proxy, green).consecutivePasses()).isGreaterThanOrEqualTo(CHECK.healthyThreshold());
        assertThat(IntStream.range(0, 4).mapToObj(i -> get(proxy, "/").body()).toList())
                .containsExactlyInAnyOrder("blue", "blue", "green", "green");
    }

    @Test
    void aDropletThatStartsFailingItsHealthCheckIsTakenOutOfRotationAndTheLastOneLeaves503() {
        TinyDroplet blueApp = TinyDroplet.saying("blue");
        TinyDroplet greenApp = TinyDroplet.saying("green");
        long blue = droplet(blueApp);
        long green = droplet(greenApp);
        LoadBalancerProxy proxy = proxy(balancer(blue, green));
        awaitHealthy(proxy, blue, green);

        blueApp.healthy(false);
        await().atMost(HEALTHY_WITHIN).until(() -> !health(proxy, blue).healthy());
        assertThat(IntStream.range(0, 4).mapToObj(i -> get(proxy, "/").body()).toList()).containsOnly("green");

        greenApp.healthy(false);
        await().atMost(HEALTHY_WITHIN).until(() -> !health(proxy, green).healthy());
        assertThat(get(proxy, "/").statusCode()).isEqualTo(503);
    }

    @Test
    void aTcpHealthCheckPassesForADropletThatTakesConnectionsWhateverItsHealthPathSays() {
        long blue = droplet(TinyDroplet.saying("blue").healthy(false));
        String lb = simulator.addLoadBalancer(LoadBalancerSettings.byDropletIds("tcp", DigitalOceanSimulator.REGION,
                List.of(blue)).withHealthCheck(new HealthCheck("tcp", 80, "/", 3, 3, 2, 2)));
        LoadBalancerProxy proxy = proxy(lb);

        awaitHealthy(proxy, blue);
        assertThat(get(proxy, "/").body()).isEqualTo("blue");
    }

    @Test
    void aGetWhoseConnectionClosesBeforeAnyAnswerIsSentOnceMoreAsLoadBalancersDo() throws IOException {
        HiccupDroplet hiccupping = new HiccupDroplet();
        running.add(hiccupping);
        long droplet = simulator.addDroplet("hiccup", hiccupping.http(), List.of());
        LoadBalancerProxy proxy = proxy(tcpBalancer(droplet));
        awaitHealthy(proxy, droplet);

        // two: Java's HTTP client already sends an idempotent request once more by itself
        hiccupping.hiccup(2);
        HttpResponse<String> answer = get(proxy, "/");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(hiccupping.requestLines()).hasSizeGreaterThan(2).containsOnly("GET / HTTP/1.1");
    }

    @Test
    void aPostWhoseConnectionClosesBeforeAnyAnswerIsNotSentTwice() throws Exception {
        HiccupDroplet hiccupping = new HiccupDroplet();
        running.add(hiccupping);
        long droplet = simulator.addDroplet("hiccup", hiccupping.http(), List.of());
        LoadBalancerProxy proxy = proxy(tcpBalancer(droplet));
        awaitHealthy(proxy, droplet);

        hiccupping.hiccup(1);
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(proxy.url().resolve("/orders"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(hiccupping.requestLines()).containsExactly("POST /orders HTTP/1.1");
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
        LoadBalancerProxy proxy = proxy(balancer(echo));
        awaitHealthy(proxy, echo);

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
        LoadBalancerProxy proxy = proxy(balancer(slow));
        awaitHealthy(proxy, slow);

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

    /** A balancer by droplet ids with {@link #CHECK}. */
    private String balancer(Long... dropletIds) {
        return simulator.addLoadBalancer(LoadBalancerSettings.byDropletIds("web", DigitalOceanSimulator.REGION,
                List.of(dropletIds)).withHealthCheck(CHECK));
    }

    /** A balancer whose health check only connects, so a droplet's requests are only those the test sends. */
    private String tcpBalancer(Long... dropletIds) {
        return simulator.addLoadBalancer(LoadBalancerSettings.byDropletIds("tcp", DigitalOceanSimulator.REGION,
                List.of(dropletIds)).withHealthCheck(new HealthCheck("tcp", 80, "/", 3, 3, 2, 2)));
    }

    private void awaitHealthy(LoadBalancerProxy proxy, Long... dropletIds) {
        await().atMost(HEALTHY_WITHIN).untilAsserted(() -> assertThat(
                simulator.healthyDropletIdsOf(proxy.loadBalancerId())).contains(dropletIds));
    }

    private DropletHealth health(LoadBalancerProxy proxy, long dropletId) {
        return simulator.healthOf(proxy.loadBalancerId()).stream().filter(h -> h.dropletId() == dropletId)
                .findFirst().orElseThrow();
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
}

package dev.bluegreen.sandbox.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.bluegreen.sandbox.digitalocean.Action;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.SimulatorSettings;

class ReservedIpProxyTest {

    private static final String IP = "192.0.2.10";
    private static final Duration ACTION_TAKES = Duration.ofSeconds(1);

    private final HttpClient client = HttpClient.newHttpClient();
    private final DigitalOceanSimulator simulator = new DigitalOceanSimulator(
            SimulatorSettings.DEFAULTS.withReservedIpActionDelay(ACTION_TAKES));
    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : running) {
            closeable.close();
        }
    }

    @Test
    void trafficFollowsTheReservedIpOnceItsAssignActionCompletes() {
        long blue = droplet(TinyDroplet.saying("blue"));
        long green = droplet(TinyDroplet.saying("green"));
        simulator.addReservedIp(IP, blue);
        ReservedIpProxy proxy = proxy();
        assertThat(get(proxy).body()).isEqualTo("blue");

        Action action = simulator.assignReservedIp(IP, green);

        assertThat(get(proxy).body()).as("the action is still in progress").isEqualTo("blue");
        await().atMost(ACTION_TAKES.multipliedBy(5)).until(() -> get(proxy).body().equals("green"));
        assertThat(simulator.action(action.id()).orElseThrow().status()).isEqualTo(Action.COMPLETED);
        HttpResponse<String> answer = get(proxy);
        assertThat(answer.body()).isEqualTo("green");
        assertThat(answer.headers().firstValue(LoadBalancerProxy.DROPLET_HEADER)).contains(String.valueOf(green));
    }

    @Test
    void anUnassignedReservedIpAnswers503() {
        long blue = droplet(TinyDroplet.saying("blue"));
        simulator.addReservedIp(IP, blue);
        ReservedIpProxy proxy = proxy();

        simulator.unassignReservedIp(IP);
        await().atMost(ACTION_TAKES.multipliedBy(5)).until(() -> get(proxy).statusCode() == 503);

        assertThat(get(proxy).body()).contains(IP);
    }

    private long droplet(TinyDroplet droplet) {
        running.add(droplet);
        return simulator.addDroplet("droplet-" + running.size(), droplet.http(), List.of());
    }

    private ReservedIpProxy proxy() {
        ReservedIpProxy proxy = ReservedIpProxy.start(simulator, IP, 0);
        running.add(proxy);
        return proxy;
    }

    private HttpResponse<String> get(ReservedIpProxy proxy) {
        try {
            return client.send(HttpRequest.newBuilder(proxy.url().resolve("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

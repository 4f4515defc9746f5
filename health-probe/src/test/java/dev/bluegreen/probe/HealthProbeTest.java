package dev.bluegreen.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

import com.sun.net.httpserver.HttpServer;

import dev.bluegreen.apps.DropletSpec;

class HealthProbeTest {

    /** Generous: the first request of a test JVM also starts Reactor Netty, on a machine that may be busy. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HealthProbe probe = new HealthProbe(WebClient.builder());
    private final CountDownLatch released = new CountDownLatch(1);
    private HttpServer server;

    @AfterEach
    void stop() {
        released.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aDropletAnsweringTheExpectedStatusPassesAndSaysHowLongItTook() throws IOException {
        DropletSpec droplet = droplet(serve("/healthz", 200, "ok"));

        ProbeResult result = probe.probe(droplet, new Expectation("/healthz", 200, null, TIMEOUT)).block();

        assertThat(result.passed()).isTrue();
        assertThat(result.answered()).isTrue();
        assertThat(result.outcome()).matches("200 in \\d+ ms");
    }

    @Test
    void anotherStatusFailsAndQuotesTheStartOfTheBodyOnOneLine() throws IOException {
        DropletSpec droplet = droplet(serve("/healthz", 503, "database\nunreachable"));

        ProbeResult result = probe.probe(droplet, new Expectation("/healthz", 200, null, TIMEOUT)).block();

        assertThat(result.passed()).isFalse();
        assertThat(result.answered()).isTrue();
        assertThat(result.outcome()).matches("503 in \\d+ ms \\(database unreachable\\)");
    }

    @Test
    void aBodyWithoutTheExpectedTextFailsEvenWithTheExpectedStatus() throws IOException {
        DropletSpec droplet = droplet(serve("/healthz", 200, "Welcome to nginx!"));

        ProbeResult result = probe.probe(droplet, new Expectation("/healthz", 200, "db: ok", TIMEOUT)).block();

        assertThat(result.passed()).isFalse();
        assertThat(result.outcome()).matches("200 in \\d+ ms, but the body lacks \"db: ok\" \\(Welcome to nginx!\\)");
    }

    @Test
    void aPortNobodyListensOnIsAnOutcomeNotAnError() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        ProbeResult result = probe.probe(droplet("http://127.0.0.1:" + closedPort),
                new Expectation("/healthz", 200, null, TIMEOUT)).block();

        assertThat(result.answered()).isFalse();
        assertThat(result.passed()).isFalse();
        assertThat(result.outcome()).isEqualTo("connection refused");
    }

    @Test
    void aDropletSlowerThanTheTimeoutFailsSayingHowLongItWasGiven() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/healthz", exchange -> {
            try {
                released.await();
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();

        ProbeResult result = probe.probe(droplet(baseUrl()), new Expectation("/healthz", 200, null,
                Duration.ofMillis(200))).block();

        assertThat(result.answered()).isFalse();
        assertThat(result.outcome()).isEqualTo("no answer within 200 ms");
    }

    @Test
    void theUrlIsTheDropletsHttpAddressWithThePathAppended() {
        assertThat(HealthProbe.url(droplet("http://10.0.0.5:8080"), "/healthz"))
                .hasToString("http://10.0.0.5:8080/healthz");
        assertThat(HealthProbe.url(droplet("http://10.0.0.5/app"), "/healthz"))
                .hasToString("http://10.0.0.5/app/healthz");
    }

    private String serve(String path, int status, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return baseUrl();
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static DropletSpec droplet(String http) {
        return new DropletSpec(1, "127.0.0.1:22", http, null, null);
    }
}

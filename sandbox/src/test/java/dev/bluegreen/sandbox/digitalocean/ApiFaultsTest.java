package dev.bluegreen.sandbox.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiFaultsTest {

    private static final String TOKEN = "dop_v1_faults";
    private static final String DROPPED = "(connection closed without an answer)";
    private static final String OK = "HTTP/1.1 200 OK";
    private static final String SERVER_ERROR = "HTTP/1.1 500 Internal Server Error";

    private final DigitalOceanSimulator simulator = new DigitalOceanSimulator();
    private final DigitalOceanApiServer api = DigitalOceanApiServer.start(simulator, TOKEN, 0);

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void theNextPlannedRequestsAnswer500WithTheErrorBodyAndThenTheApiAnswersAgain() {
        simulator.faults().failNext(2);

        ApiCall first = get("/v2/droplets");
        ApiCall second = get("/v2/droplets");
        ApiCall third = get("/v2/droplets");

        assertThat(List.of(first.status(), second.status(), third.status())).containsExactly(500, 500, 200);
        assertThat(first.json().get("id").asString()).isEqualTo("server_error");
        assertThat(first.header("ratelimit-remaining")).isNotEmpty();
        assertThat(simulator.faults().injected()).isEqualTo(2);
    }

    @Test
    void failuresPlannedForOneMethodLeaveTheOthersAlone() {
        long blue = simulator.addDroplet("blue-1", URI.create("http://127.0.0.1:9"), List.of());
        String lb = simulator.addLoadBalancer("web", List.of());
        simulator.faults().failNext(1, "POST");

        assertThat(get("/v2/load_balancers/" + lb).status()).isEqualTo(200);
        ApiCall failed = call("POST", "/v2/load_balancers/" + lb + "/droplets", "{\"droplet_ids\":[" + blue + "]}");
        assertThat(failed.status()).isEqualTo(500);
        assertThat(simulator.dropletIdsOf(lb)).as("a failed request changes nothing").isEmpty();
        assertThat(call("POST", "/v2/load_balancers/" + lb + "/droplets", "{\"droplet_ids\":[" + blue + "]}")
                .status()).isEqualTo(204);
        assertThat(simulator.dropletIdsOf(lb)).containsExactly(blue);
    }

    @Test
    void aDroppedConnectionGivesTheClientNoAnswerAtAll() throws IOException {
        simulator.faults().dropNext(1);

        assertThat(rawGet("/v2/droplets")).isEqualTo(DROPPED);
        assertThat(rawGet("/v2/droplets")).isEqualTo("HTTP/1.1 200 OK");
    }

    @Test
    void aLostAnswerLeavesTheChangeMadeButTellsTheClientNothing() throws IOException {
        long blue = simulator.addDroplet("blue-1", URI.create("http://127.0.0.1:9"), List.of());
        String lb = simulator.addLoadBalancer("web", List.of());
        simulator.faults().loseAnswerNext(1, "POST");

        String answer = raw("POST", "/v2/load_balancers/" + lb + "/droplets", "{\"droplet_ids\":[" + blue + "]}");

        assertThat(answer).isEqualTo(DROPPED);
        assertThat(simulator.dropletIdsOf(lb)).as("the change was made all the same").containsExactly(blue);
    }

    @Test
    void aSlowedRequestIsAnsweredLate() {
        simulator.faults().slowNext(1, Duration.ofMillis(400));

        Instant before = Instant.now();
        ApiCall slow = get("/v2/droplets");
        Duration took = Duration.between(before, Instant.now());

        assertThat(slow.status()).isEqualTo(200);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(simulator.faults().pending()).isZero();
    }

    @Test
    void aShareOfFailuresFollowsTheSeedSoEveryRunSeesTheSameAnswers() {
        FaultSettings faults = FaultSettings.NONE.withServerErrorShare(0.3).withDroppedShare(0.1).withSeed(7);

        List<String> first = outcomes(faults, 60);
        List<String> second = outcomes(faults, 60);

        assertThat(first).isEqualTo(second);
        assertThat(first).contains(SERVER_ERROR, DROPPED, OK);
        assertThat(first.stream().filter(OK::equals).count()).isBetween(25L, 50L);
    }

    @Test
    void faultsSetFromTheStartCanBeClearedWhileTheApiRuns() {
        DigitalOceanSimulator failing = new DigitalOceanSimulator(SimulatorSettings.DEFAULTS
                .withFaults(FaultSettings.NONE.withServerErrorShare(1)));
        try (DigitalOceanApiServer failingApi = DigitalOceanApiServer.start(failing, TOKEN, 0)) {
            assertThat(ApiCall.send(failingApi.baseUrl(), TOKEN, "GET", "/v2/droplets", Map.of(), null).status())
                    .isEqualTo(500);

            failing.faults().clear();

            assertThat(ApiCall.send(failingApi.baseUrl(), TOKEN, "GET", "/v2/droplets", Map.of(), null).status())
                    .isEqualTo(200);
        }
    }

    private List<String> outcomes(FaultSettings faults, int requests) {
        simulator.faults().set(faults);
        return IntStream.range(0, requests).mapToObj(i -> {
            try {
                return rawGet("/v2/droplets");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    /**
     * The status line of a GET sent over a plain socket, or {@link #DROPPED} when the connection closes without a
     * byte of answer. (The JDK's HTTP client would quietly retry a GET whose connection was dropped.)
     */
    private String rawGet(String path) throws IOException {
        return raw("GET", path, "");
    }

    private String raw(String method, String path, String body) throws IOException {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(5_000);
            String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + content.length
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(content);
            BufferedReader reader = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String statusLine = reader.readLine();
            return statusLine == null ? DROPPED : statusLine;
        }
    }

    private ApiCall get(String path) {
        return ApiCall.send(api.baseUrl(), TOKEN, "GET", path, Map.of(), null);
    }

    private ApiCall call(String method, String path, String body) {
        return ApiCall.send(api.baseUrl(), TOKEN, method, path, Map.of(), body);
    }
}

package dev.bluegreen.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.gateway.RunningGateway;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/** The event stream's caps, against a real HTTP client holding real connections. */
class SubscriberCapsTest {

    private static final int PER_TOKEN = 20;
    private static final int IN_ALL = 30;

    @TempDir
    static Path directory;

    static RunningGateway gateway;
    static EventLog kafka;
    static ExecutorService clientThreads;
    static HttpClient client;

    private final List<HttpResponse<InputStream>> open = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startGateway() {
        gateway = RunningGateway.start(directory, KafkaFixture.bootstrapServers(),
                "--bluegreen.gateway.stream.max-subscribers-per-token=" + PER_TOKEN,
                "--bluegreen.gateway.stream.max-subscribers=" + IN_ALL,
                "--bluegreen.gateway.stream.heartbeat-interval=1s");
        kafka = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);
        clientThreads = Executors.newFixedThreadPool(8);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads).build();
    }

    @AfterAll
    static void stopGateway() {
        if (clientThreads != null) {
            clientThreads.shutdownNow();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @AfterEach
    void closeStreams() throws Exception {
        for (HttpResponse<InputStream> response : open) {
            response.body().close();
        }
        open.clear();
        Subscribers subscribers = gateway.bean("subscribers", Subscribers.class);
        Awaitility.await().until(() -> subscribers.open() == 0);
    }

    @Test
    void twoThousandConnectionsFromOneTokenDoNotExhaustTheGatewayAndALegitimateSubscriberStillGetsItsEvents() {
        List<CompletableFuture<HttpResponse<InputStream>>> flood = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            flood.add(client.sendAsync(stream(RunningGateway.WIKI_TOKEN), HttpResponse.BodyHandlers.ofInputStream()));
        }
        CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS)
                .join();
        List<HttpResponse<InputStream>> answers = flood.stream().map(CompletableFuture::join).toList();
        answers.stream().filter(answer -> answer.statusCode() == 200).forEach(open::add);
        answers.stream().filter(answer -> answer.statusCode() != 200).forEach(SubscriberCapsTest::close);

        Map<Integer, Long> statuses = answers.stream()
                .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(200, (long) PER_TOKEN, 429, 2_000L - PER_TOKEN));
        assertThat(answers).filteredOn(answer -> answer.statusCode() == 429)
                .allSatisfy(answer -> assertThat(answer.headers().firstValue("Retry-After")).hasValue("30"));

        List<String> lines = follow(RunningGateway.READ_TOKEN);
        Envelope event = Envelope.of("traffic-router", UUID.randomUUID().toString(),
                new TrafficSwitched("shop", Colour.BLUE, Colour.GREEN, List.of(102L), 800));
        // the feed is live once Kafka assigned it its partitions: until then, send again
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            kafka.publish(event);
            assertThat(lines).anyMatch(line -> line.equals("id:" + event.id()));
        });
        gateway.reader().get().uri("/api/apps/shop/deployments").exchange().expectStatus().isOk();
    }

    @Test
    void beyondTheCapInAllEveryTokenIsAnswered429WithAReasonUntilAStreamEnds() throws Exception {
        for (int i = 0; i < PER_TOKEN; i++) {
            open.add(opened(RunningGateway.WIKI_TOKEN));
        }
        for (int i = PER_TOKEN; i < IN_ALL; i++) {
            open.add(opened(RunningGateway.SHOP_TOKEN));
        }

        HttpResponse<String> refused = client.send(stream(RunningGateway.READ_TOKEN),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).isEqualTo("{\"error\":\"The gateway serves as many event streams as it allows ("
                + IN_ALL + "); try again later\"}");
        HttpResponse<String> sameToken = client.send(stream(RunningGateway.WIKI_TOKEN),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sameToken.body()).isEqualTo("{\"error\":\"The token 'wiki-ci' has " + PER_TOKEN + " event streams "
                + "open, as many as the gateway allows one reader (bluegreen.gateway.stream.max-subscribers-per-token); "
                + "close one first\"}");

        open.remove(0).body().close();
        Awaitility.await().untilAsserted(() -> {
            HttpResponse<InputStream> again = client.send(stream(RunningGateway.READ_TOKEN),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (again.statusCode() == 200) {
                open.add(again);
            } else {
                close(again);
            }
            assertThat(again.statusCode()).isEqualTo(200);
        });
    }

    private static HttpRequest stream(String token) {
        return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/events"))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + token).GET().build();
    }

    private static HttpResponse<InputStream> opened(String token) throws Exception {
        HttpResponse<InputStream> response = client.send(stream(token), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        return response;
    }

    /** Reads the stream's lines as they come, on a thread of its own. */
    private List<String> follow(String token) {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpResponse<InputStream> response = client.sendAsync(stream(token), HttpResponse.BodyHandlers.ofInputStream())
                .join();
        assertThat(response.statusCode()).isEqualTo(200);
        open.add(response);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                in.lines().forEach(lines::add);
            } catch (Exception e) {
                // the stream was closed by the test
            }
        }, "legitimate-subscriber");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.bluegreen.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.Disposable;
import reactor.core.Disposables;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.DropletHealth;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvelopeCodec;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.gateway.RunningGateway;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

class EventStreamTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    @TempDir
    static Path directory;

    static RunningGateway gateway;
    static EventLog kafka;

    private final Disposable.Composite subscriptions = Disposables.composite();
    private final EnvelopeCodec codec = new EnvelopeCodec();

    @BeforeAll
    static void startGateway() {
        gateway = RunningGateway.start(directory, KafkaFixture.bootstrapServers(),
                "--bluegreen.gateway.stream.heartbeat-interval=300ms", "--bluegreen.gateway.stream.client-buffer=16");
        kafka = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);
    }

    @AfterAll
    static void stopGateway() {
        if (kafka != null) {
            kafka.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @AfterEach
    void unsubscribe() {
        subscriptions.dispose();
    }

    @Test
    void theStreamDeliversPipelineEventsFilteredByApp() {
        List<ServerSentEvent<String>> shopStream = subscribe("/api/events?app=shop");
        List<ServerSentEvent<String>> everything = subscribe("/api/events");
        awaitStreamIsLive(everything);

        String shopDeployment = UUID.randomUUID().toString();
        String blogDeployment = UUID.randomUUID().toString();
        Envelope shopProvisioned = Envelope.of("deploy-agent", shopDeployment,
                new EnvironmentProvisioned("shop", Colour.GREEN, "v2", "4f9c2e1", List.of(102L), 41_000));
        Envelope blogProvisioned = Envelope.of("deploy-agent", blogDeployment,
                new EnvironmentProvisioned("blog", Colour.BLUE, "v7", "a1b2c3d", List.of(201L), 30_000));
        Envelope shopHealthy = Envelope.of("health-monitor", shopDeployment, new EnvironmentHealthy("shop",
                Colour.GREEN, "v2", "4f9c2e1", List.of(new DropletHealth(102, true, 3, "200 OK in 12 ms")), 6_000));
        Envelope blogSwitched = Envelope.of("traffic-router", blogDeployment,
                new TrafficSwitched("blog", Colour.GREEN, Colour.BLUE, List.of(201L), 900));
        List.of(shopProvisioned, blogProvisioned, shopHealthy, blogSwitched).forEach(kafka::publish);
        Awaitility.await().untilAsserted(() -> assertThat(ids(everything))
                .contains(shopProvisioned.id(), blogProvisioned.id(), shopHealthy.id(), blogSwitched.id()));

        // The gateway passes events on in order, so once this one reaches the shop stream, the blog events are past.
        Envelope shopSwitched = Envelope.of("traffic-router", shopDeployment,
                new TrafficSwitched("shop", Colour.BLUE, Colour.GREEN, List.of(102L), 800));
        kafka.publish(shopSwitched);
        Awaitility.await().untilAsserted(() -> assertThat(ids(shopStream)).contains(shopSwitched.id()));

        List<ServerSentEvent<String>> shopEvents = events(shopStream);
        assertThat(shopEvents).allSatisfy(event -> assertThat(codec.read(event.data()).subject()).isEqualTo("shop"));
        assertThat(shopEvents).filteredOn(event -> shopDeployment.equals(codec.read(event.data()).deploymentId()))
                .extracting(ServerSentEvent::event)
                .containsExactlyInAnyOrder("EnvironmentProvisioned", "EnvironmentHealthy", "TrafficSwitched");
        assertThat(shopEvents).filteredOn(event -> event.id().equals(shopHealthy.id())).singleElement()
                .satisfies(event -> {
                    assertThat(event.event()).isEqualTo("EnvironmentHealthy");
                    assertThat(event.data()).isEqualTo(codec.writeString(shopHealthy));
                });
    }

    @Test
    void theStreamCanBeFilteredByEventType() {
        List<ServerSentEvent<String>> switches = subscribe("/api/events?type=TrafficSwitched");
        List<ServerSentEvent<String>> everything = subscribe("/api/events");
        awaitStreamIsLive(everything);

        String deployment = UUID.randomUUID().toString();
        Envelope provisioned = Envelope.of("deploy-agent", deployment,
                new EnvironmentProvisioned("shop", Colour.GREEN, "v3", "77aa01c", List.of(102L), 40_000));
        Envelope switched = Envelope.of("traffic-router", deployment,
                new TrafficSwitched("shop", Colour.BLUE, Colour.GREEN, List.of(102L), 700));
        kafka.publish(provisioned);
        Awaitility.await().untilAsserted(() -> assertThat(ids(everything)).contains(provisioned.id()));
        kafka.publish(switched);

        Awaitility.await().untilAsserted(() -> assertThat(ids(switches)).contains(switched.id()));
        assertThat(events(switches)).extracting(ServerSentEvent::event).containsOnly("TrafficSwitched");
    }

    @Test
    void aRecordThatIsNotAnEventIsSkippedAndTheStreamGoesOn() {
        List<ServerSentEvent<String>> everything = subscribe("/api/events");
        awaitStreamIsLive(everything);

        kafka.publishRaw(Topics.LIFECYCLE, "shop", "{\"type\":\"Deployed\"".getBytes(StandardCharsets.UTF_8));
        Envelope switched = Envelope.of("traffic-router", UUID.randomUUID().toString(),
                new TrafficSwitched("shop", Colour.GREEN, Colour.BLUE, List.of(101L), 650));
        kafka.publish(switched);

        Awaitility.await().untilAsserted(() -> assertThat(ids(everything)).contains(switched.id()));
    }

    @Test
    void anIdleStreamGetsHeartbeatsThatAreNotEvents() {
        List<ServerSentEvent<String>> stream = subscribe("/api/events?app=shop&type=RolledBack");

        Awaitility.await().untilAsserted(() -> assertThat(stream).filteredOn(event -> "heartbeat".equals(event.comment()))
                .hasSizeGreaterThanOrEqualTo(2));
        assertThat(stream).allSatisfy(event -> {
            assertThat(event.event()).isNull();
            assertThat(event.data()).isNull();
        });
    }

    @Test
    void aStreamOfAnUnknownAppOrTypeIsRefusedWithAMessage() {
        gateway.reader().get().uri("/api/events?app=blog").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isNotFound()
                .expectBody().json("{\"error\":\"No app named 'blog' is configured\"}", true);
        gateway.reader().get().uri("/api/events?type=Deployed").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error").isEqualTo(
                        "No event type is named 'Deployed'; use a name such as DeployRequested");
    }

    @Test
    void aSubscriberThatReconnectsWithLastEventIdGetsWhatItMissedThenLiveEventsWithoutRepeats() {
        List<ServerSentEvent<String>> first = subscribe("/api/events?app=shop");
        awaitStreamIsLive(subscribe("/api/events"));
        String deployment = UUID.randomUUID().toString();
        Envelope seen = Envelope.of("deploy-agent", deployment,
                new EnvironmentProvisioned("shop", Colour.GREEN, "v6", "c0ffee1", List.of(102L), 40_000));
        kafka.publish(seen);
        Awaitility.await().untilAsserted(() -> assertThat(ids(first)).contains(seen.id()));
        subscriptions.dispose();

        // While the subscriber is away:
        Envelope missed = Envelope.of("health-monitor", deployment, new EnvironmentHealthy("shop", Colour.GREEN,
                "v6", "c0ffee1", List.of(new DropletHealth(102, true, 3, "200 OK in 9 ms")), 6_000));
        kafka.publish(missed);
        Awaitility.await().untilAsserted(() -> gateway.reader().get().uri("/api/deployments/" + deployment)
                .exchange().expectBody().jsonPath("$.lastEventId").isEqualTo(missed.id()));

        List<ServerSentEvent<String>> resumed = new CopyOnWriteArrayList<>();
        Disposable.Composite again = Disposables.composite();
        try {
            again.add(gateway.webClient().get().uri("/api/events?app=shop").accept(MediaType.TEXT_EVENT_STREAM)
                    .header("Last-Event-ID", seen.id())
                    .retrieve().bodyToFlux(SSE).subscribe(resumed::add));
            Awaitility.await().untilAsserted(() -> assertThat(ids(resumed)).contains(missed.id()));
            Envelope live = Envelope.of("traffic-router", deployment,
                    new TrafficSwitched("shop", Colour.BLUE, Colour.GREEN, List.of(102L), 800));
            kafka.publish(live);

            Awaitility.await().untilAsserted(() -> assertThat(ids(resumed)).contains(live.id()));
            assertThat(ids(resumed)).doesNotContain(seen.id()).containsOnlyOnce(missed.id(), live.id());
            assertThat(ids(resumed).indexOf(missed.id())).isLessThan(ids(resumed).indexOf(live.id()));
        } finally {
            again.dispose();
        }
    }

    @Test
    void aResumingSubscriberThatStallsOnItsReplayHoldsUpNeitherTheFeedNorOtherSubscribers() throws Exception {
        List<ServerSentEvent<String>> everything = subscribe("/api/events");
        awaitStreamIsLive(everything);
        String deployment = UUID.randomUUID().toString();
        Envelope seen = Envelope.of("deploy-agent", deployment,
                new EnvironmentProvisioned("shop", Colour.GREEN, "v8", "8a8a8a8", List.of(102L), 40_000));
        Envelope missed = Envelope.of("health-monitor", deployment, new EnvironmentHealthy("shop", Colour.GREEN,
                "v8", "8a8a8a8", List.of(new DropletHealth(102, true, 3, "200 in 7 ms")), 6_000));
        kafka.publish(seen);
        kafka.publish(missed);
        Awaitility.await().untilAsserted(() -> assertThat(ids(everything)).contains(seen.id(), missed.id()));

        // A subscriber that resumes after 'seen' and then stalls while the replay goes out to it.
        PipelineEventFeed feed = gateway.bean("pipelineEventFeed", PipelineEventFeed.class);
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread stalling = new Thread(() -> feed.eventsAfter(seen.id()).orElseThrow().subscribe(event -> {
            stalled.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), "stalling-subscriber");
        stalling.setDaemon(true);
        stalling.start();
        try {
            assertThat(stalled.await(10, TimeUnit.SECONDS)).as("the replay reached the stalling subscriber").isTrue();

            Envelope next = Envelope.of("traffic-router", deployment,
                    new TrafficSwitched("shop", Colour.BLUE, Colour.GREEN, List.of(102L), 800));
            kafka.publish(next);

            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(ids(everything)).contains(next.id()));
        } finally {
            release.countDown();
        }
    }

    @Test
    void aLastEventIdThatIsNoLongerHeldIsSaidAndTheStreamStartsNow() {
        List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
        subscriptions.add(gateway.webClient().get().uri("/api/events").accept(MediaType.TEXT_EVENT_STREAM)
                .header("Last-Event-ID", "an-event-long-gone")
                .retrieve().bodyToFlux(SSE).subscribe(received::add));

        Awaitility.await().until(() -> !received.isEmpty());
        assertThat(received.get(0).comment())
                .isEqualTo("connected: the events after the Last-Event-ID are no longer held; this stream starts now");
    }

    @Test
    void aSubscriberThatDoesNotReadIsDroppedWithACommentInsteadOfBeingBufferedWithoutBound() throws Exception {
        awaitStreamIsLive(subscribe("/api/events"));
        URI base = URI.create(gateway.baseUrl());
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            slow.getOutputStream().write(("GET /api/events?app=shop HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + RunningGateway.READ_TOKEN + "\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = slow.getInputStream();
            StringBuilder read = new StringBuilder();
            readUntil(in, read, ":connected");

            // Then it stops reading, while far more than the socket buffers hold is published.
            String line = "x".repeat(50_000);
            String deployment = UUID.randomUUID().toString();
            for (int i = 0; i < 200; i++) {
                kafka.publish(Envelope.of("deploy-agent", deployment,
                        new DeploymentLog("shop", Colour.GREEN, 102, "install", i, List.of(line), false)));
            }

            readUntil(in, read, ":" + EventStreamController.DROPPED);
        }
    }

    private static void readUntil(InputStream in, StringBuilder read, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        byte[] buffer = new byte[65536];
        while (read.indexOf(expected) < 0) {
            assertThat(System.nanoTime()).as("reading until %s", expected).isLessThan(deadline);
            int n = in.read(buffer);
            assertThat(n).as("the stream ended before %s", expected).isPositive();
            read.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            if (read.length() > 200_000) {
                read.delete(0, read.length() - 1000);
            }
        }
    }

    private List<ServerSentEvent<String>> subscribe(String uri) {
        List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
        subscriptions.add(gateway.webClient().get().uri(uri).accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve().bodyToFlux(SSE).subscribe(received::add));
        // The stream opens with a comment once the subscriber is attached to the event feed.
        Awaitility.await().until(() -> !received.isEmpty());
        assertThat(received.get(0).comment()).isEqualTo("connected");
        return received;
    }

    /**
     * The gateway reads from the latest offset once Kafka assigned it the topics: until then, events pass it by.
     * Probes go out until one comes through.
     */
    private void awaitStreamIsLive(List<ServerSentEvent<String>> everything) {
        Awaitility.await().untilAsserted(() -> {
            Envelope probe = Envelope.of("test", UUID.randomUUID().toString(),
                    new TrafficSwitched("probe", Colour.BLUE, Colour.GREEN, List.of(1L), 1));
            kafka.publish(probe);
            assertThat(events(everything)).anyMatch(event -> event.data().contains("\"probe\""));
        });
    }

    private static List<ServerSentEvent<String>> events(List<ServerSentEvent<String>> stream) {
        return stream.stream().filter(event -> event.data() != null).toList();
    }

    private static List<String> ids(List<ServerSentEvent<String>> stream) {
        return events(stream).stream().map(ServerSentEvent::id).toList();
    }
}

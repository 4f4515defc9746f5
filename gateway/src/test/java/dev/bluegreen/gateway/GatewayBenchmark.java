package dev.bluegreen.gateway;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvelopeDeserializer;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * Not a test: a benchmark, run on purpose (its name keeps it out of {@code mvn test}):
 * {@code cd gateway && ../mvnw -q test -Dtest=GatewayBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Prints (1) webhook-to-DeployRequested latency over sequential signed GitHub pushes, and (2) SSE fan-out: how long
 * events published to Kafka take to reach every one of 500 subscribers. Gateway, broker and clients share this JVM.
 */
class GatewayBenchmark {

    private static final int PUSHES = Integer.getInteger("bench.pushes", 300);
    private static final int SUBSCRIBERS = Integer.getInteger("bench.subscribers", 500);
    private static final int EVENTS = Integer.getInteger("bench.events", 100);

    @Test
    void run() throws Exception {
        Path directory = Files.createTempDirectory("gateway-benchmark");
        try (RunningGateway gateway = RunningGateway.start(directory, KafkaFixture.bootstrapServers(),
                "--logging.level.dev.bluegreen=WARN",
                // every subscriber here is the benchmark's, with one token
                "--bluegreen.gateway.stream.max-subscribers=" + (SUBSCRIBERS + 10),
                "--bluegreen.gateway.stream.max-subscribers-per-token=" + (SUBSCRIBERS + 10))) {
            webhookLatency(gateway);
            fanOut(gateway);
        }
    }

    private static void webhookLatency(RunningGateway gateway) throws Exception {
        Map<String, Long> arrived = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<String, Envelope> consumer = consumer()) {
                consumer.subscribe(List.of(Topics.LIFECYCLE));
                while (!stop.get()) {
                    for (ConsumerRecord<String, Envelope> record : consumer.poll(Duration.ofMillis(5))) {
                        if (record.value() != null) {
                            arrived.putIfAbsent(record.value().deploymentId(), System.nanoTime());
                        }
                    }
                }
            }
        });
        reader.start();
        WebClient http = WebClient.create(gateway.baseUrl());
        // Warm up, and wait until the reader is assigned its partitions and sees new records.
        String warm = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((warm == null || !arrived.containsKey(warm)) && System.nanoTime() < deadline) {
            warm = push(http);
            Thread.sleep(200);
        }
        for (int i = 0; i < 50; i++) {
            push(http);
        }
        long[] answered = new long[PUSHES];
        long[] published = new long[PUSHES];
        String[] ids = new String[PUSHES];
        long[] started = new long[PUSHES];
        for (int i = 0; i < PUSHES; i++) {
            started[i] = System.nanoTime();
            ids[i] = push(http);
            answered[i] = System.nanoTime() - started[i];
        }
        awaitAtMost(Duration.ofSeconds(30), () -> Arrays.stream(ids).allMatch(arrived::containsKey));
        stop.set(true);
        reader.join();
        for (int i = 0; i < PUSHES; i++) {
            Long at = arrived.get(ids[i]);
            published[i] = at == null ? Long.MAX_VALUE : at - started[i];
        }
        System.out.println("== Webhook to DeployRequested, " + PUSHES + " sequential signed GitHub pushes");
        System.out.println("   202 answered (DeployRequested acknowledged by Kafka): " + percentiles(answered));
        System.out.println("   DeployRequested read by a consumer:                 " + percentiles(published));
    }

    private static String push(WebClient http) {
        String body = """
                {"ref":"refs/heads/main","after":"%s","compare":"https://github.com/acme/shop/compare/a...b",
                 "pusher":{"name":"bench"}}""".formatted(UUID.randomUUID().toString().replace("-", ""));
        String answer = http.post().uri("/api/webhooks/github/shop")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", "sha256=" + hmac(body))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .retrieve().bodyToMono(String.class).block(Duration.ofSeconds(30));
        return answer.replaceAll(".*\"deploymentId\":\"([^\"]+)\".*", "$1");
    }

    private static void fanOut(RunningGateway gateway) throws Exception {
        ConnectionProvider connections = ConnectionProvider.builder("benchmark").maxConnections(SUBSCRIBERS + 10)
                .pendingAcquireMaxCount(-1).build();
        WebClient client = WebClient.builder().baseUrl(gateway.baseUrl())
                .defaultHeader("Authorization", "Bearer " + RunningGateway.READ_TOKEN)
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections))).build();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, List<Long>> delays = new ConcurrentHashMap<>();
        AtomicLong received = new AtomicLong();
        CountDownLatch connected = new CountDownLatch(SUBSCRIBERS);
        List<Disposable> subscriptions = new ArrayList<>();
        long connecting = System.nanoTime();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            subscriptions.add(client.get().uri("/api/events?app=shop").accept(MediaType.TEXT_EVENT_STREAM).retrieve()
                    .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
                    })
                    .subscribe(event -> {
                        if (event.data() == null) {
                            if ("connected".equals(event.comment())) {
                                connected.countDown();
                            }
                            return;
                        }
                        Long sent = sentAt.get(event.id());
                        if (sent != null) {
                            delays.computeIfAbsent(event.id(), id -> new java.util.concurrent.CopyOnWriteArrayList<>())
                                    .add(System.nanoTime() - sent);
                            received.incrementAndGet();
                        }
                    }));
        }
        if (!connected.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Only " + (SUBSCRIBERS - connected.getCount()) + " subscribers connected");
        }
        long connectMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connecting);
        try (EventLog kafka = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE)) {
            for (int i = 0; i < EVENTS; i++) {
                Envelope event = Envelope.of("benchmark", UUID.randomUUID().toString(),
                        new TrafficSwitched("shop", Colour.BLUE, Colour.GREEN, List.of(102L), 1));
                sentAt.put(event.id(), System.nanoTime());
                kafka.publish(event);
                Thread.sleep(20);
            }
            awaitAtMost(Duration.ofSeconds(30), () -> received.get() >= (long) SUBSCRIBERS * EVENTS);
        }
        long[] all = delays.values().stream().flatMap(List::stream).mapToLong(Long::longValue).toArray();
        long[] last = delays.values().stream().mapToLong(list -> list.stream().mapToLong(Long::longValue).max()
                .orElse(0)).toArray();
        System.out.println("== SSE fan-out: " + EVENTS + " events (one per 20 ms, each publish waits for Kafka's ack) "
                + "to " + SUBSCRIBERS + " subscribers");
        System.out.println("   subscribers connected in " + connectMs + " ms");
        System.out.println("   delivered " + received.get() + " of " + (long) SUBSCRIBERS * EVENTS);
        System.out.println("   publish to one subscriber:     " + percentiles(all));
        System.out.println("   publish to the last subscriber: " + percentiles(last));
        subscriptions.forEach(Disposable::dispose);
        connections.disposeLater().block(Duration.ofSeconds(10));
    }

    private static KafkaConsumer<String, Envelope> consumer() {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "benchmark-" + UUID.randomUUID());
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        return new KafkaConsumer<>(settings, new StringDeserializer(), new EnvelopeDeserializer());
    }

    private static String hmac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(RunningGateway.GITHUB_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)",
                ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 0.99), ms(sorted, 1.0), sorted.length);
    }

    private static double ms(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1_000_000.0;
    }

    /**
     * Waits until {@code done}, or {@code timeout}: what did not arrive by then is counted as such in the figures.
     * Arrivals are timed where they arrive, not by when this wait notices them.
     */
    private static void awaitAtMost(Duration timeout, Callable<Boolean> done) {
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(10)).until(done);
        } catch (ConditionTimeoutException late) {
            // reported with the figures
        }
    }
}

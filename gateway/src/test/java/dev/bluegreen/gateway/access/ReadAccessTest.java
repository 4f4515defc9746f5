package dev.bluegreen.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.gateway.RunningGateway;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/** With {@code read-access: token}, the default: every read needs a token, and shows only the token's apps. */
class ReadAccessTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };
    private static final String NEEDS_TOKEN = "{\"error\":\"This request needs a valid token: Authorization: Bearer "
            + "<token>\"}";

    @TempDir
    static Path directory;

    static RunningGateway gateway;
    static EventLog kafka;

    private final List<Disposable> subscriptions = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startGateway() {
        gateway = RunningGateway.start(directory, KafkaFixture.bootstrapServers());
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

    @Test
    void statusHistoryDeploymentsAndTheStreamAre401WithoutATokenAndSayHowToAsk() {
        String deploymentId = UUID.randomUUID().toString();
        kafka.publish(Envelope.of("gateway", deploymentId, new DeployRequested("shop", "v2", null, "alice", "ci")));
        Awaitility.await().untilAsserted(() -> gateway.reader().get().uri("/api/deployments/" + deploymentId)
                .exchange().expectStatus().isOk());

        for (String read : List.of("/api/apps/shop/status", "/api/apps/shop/deployments",
                "/api/deployments/" + deploymentId, "/api/events?app=shop", "/api/events")) {
            gateway.http().get().uri(read).accept(MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM)
                    .exchange()
                    .expectStatus().isUnauthorized()
                    .expectBody().json(NEEDS_TOKEN, true);
            gateway.http().get().uri(read).header(HttpHeaders.AUTHORIZATION, "Bearer guessed-token-1a2b")
                    .accept(MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM)
                    .exchange()
                    .expectStatus().isUnauthorized();
        }
    }

    @Test
    void aTokenReadsOnlyItsOwnAppsAndADeploymentOfAnotherAppIsNotFound() {
        String shopDeployment = UUID.randomUUID().toString();
        kafka.publish(Envelope.of("gateway", shopDeployment, new DeployRequested("shop", "v3", null, "alice")));
        Awaitility.await().untilAsserted(() -> gateway.reader().get().uri("/api/deployments/" + shopDeployment)
                .exchange().expectStatus().isOk());
        WebTestClient wiki = gateway.http().mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + RunningGateway.WIKI_TOKEN).build();

        wiki.get().uri("/api/apps/wiki/deployments").exchange().expectStatus().isOk();
        wiki.get().uri("/api/apps/shop/status").exchange()
                .expectStatus().isForbidden()
                .expectBody().json("{\"error\":\"This token may not read 'shop'\"}", true);
        wiki.get().uri("/api/apps/shop/deployments").exchange().expectStatus().isForbidden();
        wiki.get().uri("/api/events?app=shop").accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isForbidden();
        wiki.get().uri("/api/deployments/" + shopDeployment).exchange()
                .expectStatus().isNotFound()
                .expectBody().json("{\"error\":\"No deployment '" + shopDeployment + "' is known to the gateway\"}",
                        true);
    }

    @Test
    void aTokensStreamOfEveryAppCarriesOnlyTheEventsOfItsApps() {
        List<ServerSentEvent<String>> wikiOnly = subscribe(RunningGateway.WIKI_TOKEN);
        List<ServerSentEvent<String>> everyApp = subscribe(RunningGateway.READ_TOKEN);
        try {
            Envelope shop = Envelope.of("traffic-router", UUID.randomUUID().toString(),
                    new TrafficSwitched("shop", Colour.BLUE, Colour.GREEN, List.of(102L), 800));
            Envelope wiki = Envelope.of("traffic-router", UUID.randomUUID().toString(),
                    new TrafficSwitched("wiki", Colour.GREEN, Colour.BLUE, List.of(201L), 800));
            // the feed is live once Kafka assigned it its partitions: until then, send again
            Awaitility.await().untilAsserted(() -> {
                kafka.publish(shop);
                kafka.publish(wiki);
                assertThat(everyApp).anyMatch(event -> wiki.id().equals(event.id()));
            });
            Awaitility.await().untilAsserted(() -> assertThat(wikiOnly).anyMatch(event -> wiki.id().equals(
                    event.id())));

            assertThat(everyApp).anyMatch(event -> shop.id().equals(event.id()));
            assertThat(wikiOnly).filteredOn(event -> event.data() != null)
                    .allSatisfy(event -> assertThat(event.data()).contains("\"subject\":\"wiki\""));
        } finally {
            subscriptions.forEach(Disposable::dispose);
        }
    }

    private List<ServerSentEvent<String>> subscribe(String token) {
        List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
        subscriptions.add(WebClient.create(gateway.baseUrl()).get().uri("/api/events")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve().bodyToFlux(SSE).subscribe(received::add));
        Awaitility.await().until(() -> !received.isEmpty());
        return received;
    }

    @Test
    void theAppListNamesOnlyTheAppsTheTokenMayReadAndNeedsAToken() {
        gateway.http().get().uri("/api/apps").header(HttpHeaders.AUTHORIZATION, "Bearer " + RunningGateway.WIKI_TOKEN)
                .exchange()
                .expectStatus().isOk()
                .expectBody().json("{\"apps\":[\"wiki\"]}", true);
        gateway.reader().get().uri("/api/apps").exchange()
                .expectStatus().isOk()
                .expectBody().json("{\"apps\":[\"shop\",\"wiki\"]}", true);
        gateway.http().get().uri("/api/apps").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().json(NEEDS_TOKEN, true);
        gateway.http().get().uri("/api/apps").header(HttpHeaders.AUTHORIZATION, "Bearer guessed-token-1a2b")
                .exchange()
                .expectStatus().isUnauthorized();
    }
}

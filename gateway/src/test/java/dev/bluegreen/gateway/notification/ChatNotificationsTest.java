package dev.bluegreen.gateway.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentExpired;
import dev.bluegreen.events.DropletHealth;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Phase;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RequestRefused;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.gateway.RunningGateway;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/** A JDK HTTP server stands in for the chat's incoming webhook. */
class ChatNotificationsTest {

    @TempDir
    static Path directory;

    static HttpServer chat;
    static final List<String> posts = new CopyOnWriteArrayList<>();
    static final List<String> contentTypes = new CopyOnWriteArrayList<>();
    static RunningGateway gateway;
    static EventLog kafka;

    @BeforeAll
    static void start() throws IOException {
        chat = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        chat.createContext("/services/T0/B0/", exchange -> {
            posts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        chat.start();
        // The chat webhook URL is given as a file, as a mounted secret would be.
        Path urlFile = directory.resolve("shop-chat-url");
        java.nio.file.Files.writeString(urlFile,
                "http://127.0.0.1:" + chat.getAddress().getPort() + "/services/T0/B0/hook-secret\n");
        gateway = RunningGateway.start(directory, KafkaFixture.bootstrapServers(),
                "--bluegreen.gateway.notifications.shop.url-file=" + urlFile,
                "--bluegreen.gateway.notifications-start=earliest");
        kafka = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (chat != null) {
            chat.stop(0);
        }
    }

    @Test
    void trafficMovesAndFailuresArePostedToTheAppsChatAsSlackText() {
        String switched = UUID.randomUUID().toString();
        String rolledBack = UUID.randomUUID().toString();
        String switchFailed = UUID.randomUUID().toString();
        String provisioningFailed = UUID.randomUUID().toString();
        String unhealthy = UUID.randomUUID().toString();
        String healthy = UUID.randomUUID().toString();
        String expired = UUID.randomUUID().toString();
        String refused = UUID.randomUUID().toString();
        String promotionRefused = UUID.randomUUID().toString();
        kafka.publish(Envelope.of("gateway", switched, new DeployRequested("shop", "v2", null, "alice", "ci")));
        Awaitility.await().untilAsserted(() -> gateway.reader().get().uri("/api/deployments/" + switched).exchange()
                .expectStatus().isOk());
        kafka.publish(Envelope.of("traffic-router", switched,
                new TrafficSwitched("shop", Colour.BLUE, Colour.GREEN, List.of(102L), 900)));
        kafka.publish(Envelope.of("traffic-router", rolledBack,
                new RolledBack("shop", Colour.GREEN, Colour.BLUE, List.of(101L), 700)));
        kafka.publish(Envelope.of("traffic-router", switchFailed,
                new SwitchFailed("shop", Colour.BLUE, Colour.GREEN, "The load balancer did not answer")));
        kafka.publish(Envelope.of("deploy-agent", provisioningFailed, new ProvisioningFailed("shop", Colour.GREEN,
                "broken", "Step install failed with exit code 1.", 102L, "install", 1, "")));
        kafka.publish(Envelope.of("health-monitor", unhealthy, new EnvironmentUnhealthy("shop", Colour.GREEN, "v3",
                "/healthz answered 500 on droplet 102", List.of(new DropletHealth(102, false, 5, "500")), 120_000)));
        kafka.publish(Envelope.of("health-monitor", healthy, new EnvironmentHealthy("shop", Colour.GREEN, "v4",
                "abc", List.of(new DropletHealth(102, true, 3, "200 OK")), 6_000)));
        kafka.publish(Envelope.of("traffic-router", expired, new DeploymentExpired("shop", Phase.AWAITING_APPROVAL,
                "Nobody promoted deployment " + expired + " of shop within 24 h; its switch was not made, and "
                        + "traffic stays on blue.")));
        kafka.publish(Envelope.of("gateway", refused, new DeployRequested("shop", "v5", null, "bob")));
        Awaitility.await().untilAsserted(() -> gateway.reader().get().uri("/api/deployments/" + refused).exchange()
                .expectStatus().isOk());
        kafka.publish(Envelope.of("deploy-agent", refused, new RequestRefused("shop", "DeployRequested",
                "Deployment d-1 of shop is provisioning green.")));
        kafka.publish(Envelope.of("traffic-router", promotionRefused, new RequestRefused("shop", "PromoteRequested",
                "Nothing waits for promotion in deployment " + promotionRefused + " of shop.")));
        // wiki has no chat webhook. (A failure, not a switch: StatusTest expects wiki's initial colour live.)
        kafka.publish(Envelope.of("deploy-agent", UUID.randomUUID().toString(), new ProvisioningFailed("wiki",
                Colour.BLUE, "r9", "Step fetch failed with exit code 128.", 201L, "fetch", 128, "")));

        Awaitility.await().untilAsserted(() -> assertThat(posts).contains(
                text("shop: v2 is live on green; traffic moved from blue (deployment " + switched
                        + ", asked by alice via ci)."),
                text("shop: rolled back; traffic moved back from green to blue (rollback " + rolledBack + ")."),
                text("shop: traffic could not move from blue to green: The load balancer did not answer. blue still "
                        + "serves (deployment " + switchFailed + ")."),
                text("shop: the deployment of broken to green failed: Step install failed with exit code 1. Traffic "
                        + "was not touched (deployment " + provisioningFailed + ")."),
                text("shop: v3 on green failed its health checks: /healthz answered 500 on droplet 102. Traffic was "
                        + "not touched (deployment " + unhealthy + ")."),
                text("shop: deployment " + expired + " ran out of time while awaiting-approval: Nobody promoted "
                        + "deployment " + expired + " of shop within 24 h; its switch was not made, and traffic stays "
                        + "on blue."),
                text("shop: the deploy of v5 was refused: Deployment d-1 of shop is provisioning green. (deployment "
                        + refused + ", asked by bob).")));
        assertThat(posts).noneMatch(post -> post.contains(healthy)).noneMatch(post -> post.contains("wiki"))
                .noneMatch(post -> post.contains(promotionRefused));
        assertThat(contentTypes).containsOnly("application/json");
    }

    private static String text(String text) {
        return "{\"text\":\"" + text.replace("\"", "\\\"") + "\"}";
    }
}

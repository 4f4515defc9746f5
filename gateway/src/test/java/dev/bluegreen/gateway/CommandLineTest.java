package dev.bluegreen.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.cli.Bluegreen;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.DropletHealth;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/** The bluegreen command against a real gateway; the test plays the other services on Kafka. */
class CommandLineTest {

    private static final Pattern REQUESTED = Pattern.compile("Requested: deployment (\\S+) of shop");

    @TempDir
    static Path directory;

    static RunningGateway gateway;
    static EventLog kafka;

    @BeforeAll
    static void startGateway() {
        gateway = RunningGateway.start(directory, KafkaFixture.bootstrapServers());
        kafka = EventLog.open(KafkaFixture.bootstrapServers(), Topics.DEPLOY_REQUESTS);
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
    void deployWithWatchFollowsTheDeploymentStepByStepAndExitsZeroWhenTrafficMoved() {
        Output out = new Output();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Bluegreen.run(
                new String[] {"deploy", "shop", "v7", "--requested-by", "alice", "--watch"},
                Map.of("BLUEGREEN_GATEWAY", gateway.baseUrl(), "BLUEGREEN_TOKEN", RunningGateway.SHOP_TOKEN),
                out.stream(), out.stream()));
        String id = Awaitility.await().until(() -> requested(out.text()), found -> found != null);
        kafka.awaitEvent(DeployRequested.class, id);
        Awaitility.await().until(() -> out.text().contains("alice asked to deploy v7"));

        // Each service acts once the one before it has: the command shows each step as it happens.
        publishAndAwait(out, "provisioning green droplets [102]",
                Envelope.of("deploy-agent", id, new DeploymentStarted("shop", Colour.GREEN, "v7", List.of(102L))));
        publishAndAwait(out, "| Successfully installed flask-3.1", Envelope.of("deploy-agent", id,
                new DeploymentLog("shop", Colour.GREEN, 102, "install", 0, List.of("Successfully installed flask-3.1"),
                        false)));
        publishAndAwait(out, "green provisioned with v7 at 7a7a7a7", Envelope.of("deploy-agent", id,
                new EnvironmentProvisioned("shop", Colour.GREEN, "v7", "7a7a7a7", List.of(102L), 30_000)));
        publishAndAwait(out, "green passed its health checks", Envelope.of("health-monitor", id,
                new EnvironmentHealthy("shop", Colour.GREEN, "v7", "7a7a7a7",
                        List.of(new DropletHealth(102, true, 3, "200 OK in 8 ms")), 6_000)));
        assertThat(exit).isNotDone();
        kafka.publish(Envelope.of("traffic-router", id, new TrafficSwitched("shop", Colour.BLUE, Colour.GREEN,
                List.of(102L), 800)));

        assertThat(exit).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(0);
        assertThat(out.text()).containsSubsequence("alice asked to deploy v7", "provisioning green droplets [102]",
                "| Successfully installed flask-3.1", "green provisioned with v7 at 7a7a7a7",
                "green passed its health checks", "traffic moved from blue to green", "Deployment succeeded.");
    }

    @Test
    void watchOfAFailedDeploymentExitsOneAndStatusAndHistorySayWhy() {
        Output out = new Output();
        Map<String, String> environment = Map.of("BLUEGREEN_GATEWAY", gateway.baseUrl(),
                "BLUEGREEN_TOKEN", RunningGateway.SHOP_TOKEN);
        assertThat(Bluegreen.run(new String[] {"deploy", "shop", "broken"}, environment, out.stream(),
                out.stream())).isZero();
        String id = requested(out.text());
        kafka.publish(Envelope.of("deploy-agent", id, new ProvisioningFailed("shop", Colour.GREEN, "broken",
                "Step install failed with exit code 1", 102L, "install", 1, "No matching distribution")));
        Awaitility.await().untilAsserted(() -> gateway.http().get().uri("/api/deployments/" + id).exchange()
                .expectBody().jsonPath("$.outcome").isEqualTo("failed"));

        assertThat(Bluegreen.run(new String[] {"watch", id}, environment, out.stream(), out.stream())).isEqualTo(1);
        assertThat(Bluegreen.run(new String[] {"history", "shop", "--limit", "1"}, environment, out.stream(),
                out.stream())).isZero();
        assertThat(Bluegreen.run(new String[] {"status", "shop"}, environment, out.stream(), out.stream())).isZero();

        assertThat(out.text()).contains("ProvisioningFailed      Step install failed with exit code 1",
                "Deployment failed. Step install failed with exit code 1",
                id + "  deployment broken  by ci  failed", "Last ended: ");
    }

    @Test
    void aDeployWithoutTokenIsRefusedAndTheCommandExitsThree() {
        Output out = new Output();
        int exit = Bluegreen.run(new String[] {"--gateway", gateway.baseUrl(), "deploy", "shop", "v8"}, Map.of(),
                out.stream(), out.stream());

        assertThat(exit).isEqualTo(3);
        assertThat(out.text()).contains("This request needs a valid token");
    }

    private static void publishAndAwait(Output out, String shown, Envelope event) {
        kafka.publish(event);
        Awaitility.await().until(() -> out.text().contains(shown));
    }

    private static String requested(String output) {
        Matcher matcher = REQUESTED.matcher(output);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** What the command printed, readable while it still runs. */
    private static final class Output {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        PrintStream stream() {
            return stream;
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}

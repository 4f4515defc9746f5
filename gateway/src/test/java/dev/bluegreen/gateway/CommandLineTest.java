package dev.bluegreen.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.cli.Bluegreen;
import dev.bluegreen.events.CancelRequested;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.DropletHealth;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RequestRefused;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/** The bluegreen command against a real gateway; the test plays the other services on Kafka. */
class CommandLineTest {

    /** An app of this test's own: the state machine's view of it is what this test makes it. */
    static final String APP = RunningGateway.newApp("shop");

    private static final Pattern REQUESTED = Pattern.compile("Requested: deployment (\\S+) of " + APP);
    private static final Duration ENGINE_WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path directory;

    static RunningGateway gateway;
    static EventLog kafka;

    @BeforeAll
    static void startGateway() {
        gateway = RunningGateway.start(directory, KafkaFixture.bootstrapServers(), List.of(APP));
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
    void deployWithWatchFollowsTheDeploymentStepByStepAndExitsZeroWhenTrafficMoved() {
        Output out = new Output();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Bluegreen.run(
                new String[] {"deploy", APP, "v7", "--requested-by", "alice", "--watch"}, environment(),
                out.stream(), out.stream()));
        String id = Awaitility.await().until(() -> requested(out.text()), found -> found != null);
        kafka.awaitEvent(DeployRequested.class, id);
        Awaitility.await().until(() -> out.text().contains("alice via ci asked to deploy v7"));

        // Each service acts once the one before it has: the command shows each step as it happens.
        publishAndAwait(out, "provisioning green droplets [302]",
                Envelope.of("deploy-agent", id, new DeploymentStarted(APP, Colour.GREEN, "v7", List.of(302L))));
        publishAndAwait(out, "| Successfully installed flask-3.1", Envelope.of("deploy-agent", id,
                new DeploymentLog(APP, Colour.GREEN, 302, "install", 0, List.of("Successfully installed flask-3.1"),
                        false)));
        publishAndAwait(out, "green provisioned with v7 at 7a7a7a7", Envelope.of("deploy-agent", id,
                new EnvironmentProvisioned(APP, Colour.GREEN, "v7", "7a7a7a7", List.of(302L), 30_000)));
        publishAndAwait(out, "green passed its health checks", Envelope.of("health-monitor", id,
                new EnvironmentHealthy(APP, Colour.GREEN, "v7", "7a7a7a7",
                        List.of(new DropletHealth(302, true, 3, "200 OK in 8 ms")), 6_000)));
        assertThat(exit).isNotDone();
        kafka.publish(Envelope.of("traffic-router", id, new TrafficSwitched(APP, Colour.BLUE, Colour.GREEN,
                List.of(302L), 800)));

        assertThat(exit).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(0);
        assertThat(out.text()).containsSubsequence("alice via ci asked to deploy v7", "provisioning green droplets [302]",
                "| Successfully installed flask-3.1", "green provisioned with v7 at 7a7a7a7",
                "green passed its health checks", "traffic moved from blue to green", "Deployment succeeded.");
        Awaitility.await().atMost(ENGINE_WAIT).untilAsserted(() -> {
            Output status = new Output();
            assertThat(Bluegreen.run(new String[] {"status", APP}, environment(), status.stream(), status.stream()))
                    .isZero();
            assertThat(status.text()).contains(APP + ": green is live with v7 (7a7a7a7)", "blue:  warm",
                    "Nothing is under way.", "Last ended: deployment " + id + " succeeded");
        });
    }

    @Test
    void cancelStopsADeploymentThatWaitsAndItsWatchExitsOneSayingSo() {
        Output out = new Output();
        assertThat(Bluegreen.run(new String[] {"deploy", APP, "v9"}, environment(), out.stream(), out.stream()))
                .isZero();
        String id = requested(out.text());
        // once the state machine took the deployment on: a cancel before would be refused
        Awaitility.await().atMost(ENGINE_WAIT).untilAsserted(() -> gateway.reader().get().uri("/api/apps/" + APP
                + "/status").exchange().expectBody().jsonPath("$.current.deploymentId").isEqualTo(id));
        CompletableFuture<Integer> watch = CompletableFuture.supplyAsync(() -> Bluegreen.run(
                new String[] {"watch", id}, environment(), out.stream(), out.stream()));
        Awaitility.await().until(() -> out.text().contains("Deployment " + id + " of " + APP));

        assertThat(Bluegreen.run(new String[] {"cancel", APP, id, "--reason", "the preview failed its tests"},
                environment(), out.stream(), out.stream())).isZero();

        assertThat(watch).succeedsWithin(Duration.ofSeconds(60)).isEqualTo(1);
        assertThat(out.text()).contains("Requested: cancel of deployment " + id + " of " + APP + " (v9).",
                "ci asked to cancel it: the preview failed its tests",
                "Deployment cancelled. Cancelled by ci while provisioning: the preview failed its tests");
    }

    @Test
    void watchOfARefusedDeployExitsOneWithTheReasonAndHistorySaysWhy() {
        Output out = new Output();
        String busy = UUID.randomUUID().toString();
        kafka.publish(Envelope.of("gateway", busy, new DeployRequested(APP, "v10", null, "erin")));
        assertThat(Bluegreen.run(new String[] {"deploy", APP, "v11"}, environment(), out.stream(), out.stream()))
                .isZero();
        String id = requested(out.text());
        CompletableFuture<Integer> watch = CompletableFuture.supplyAsync(() -> Bluegreen.run(
                new String[] {"watch", id}, environment(), out.stream(), out.stream()));
        Awaitility.await().until(() -> out.text().contains("Deployment " + id + " of " + APP));

        // what the deploy-agent says aloud when the state machine refused the deploy
        kafka.publish(Envelope.of("deploy-agent", id, new RequestRefused(APP, "DeployRequested",
                "Deployment " + busy + " of " + APP + " is provisioning green.")));

        assertThat(watch).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(1);
        assertThat(Bluegreen.run(new String[] {"history", APP, "--limit", "1"}, environment(), out.stream(),
                out.stream())).isZero();
        assertThat(out.text()).contains("REFUSED: Deployment " + busy + " of " + APP + " is provisioning green.",
                "Deployment refused.", id + "  deployment v11  by ci  refused in ",
                "s: Deployment " + busy + " of " + APP + " is provisioning green.");
        kafka.publish(Envelope.of("gateway", busy, new CancelRequested(APP, "test", "done with it")));
    }

    @Test
    void watchOfAFailedDeploymentExitsOneAndHistorySaysWhy() {
        Output out = new Output();
        assertThat(Bluegreen.run(new String[] {"deploy", APP, "broken"}, environment(), out.stream(),
                out.stream())).isZero();
        String id = requested(out.text());
        kafka.publish(Envelope.of("deploy-agent", id, new ProvisioningFailed(APP, Colour.GREEN, "broken",
                "Step install failed with exit code 1", 302L, "install", 1, "No matching distribution")));
        // the deployment's own view and the app's history (which takes the folded state's word) both say so
        Awaitility.await().atMost(ENGINE_WAIT).untilAsserted(() -> {
            gateway.reader().get().uri("/api/deployments/" + id).exchange().expectBody().jsonPath("$.outcome")
                    .isEqualTo("failed");
            gateway.reader().get().uri("/api/apps/" + APP + "/deployments?limit=1").exchange().expectBody()
                    .jsonPath("$[0].outcome").isEqualTo("failed");
        });

        assertThat(Bluegreen.run(new String[] {"watch", id}, environment(), out.stream(), out.stream()))
                .isEqualTo(1);
        assertThat(Bluegreen.run(new String[] {"history", APP, "--limit", "1"}, environment(), out.stream(),
                out.stream())).isZero();

        assertThat(out.text()).contains("ProvisioningFailed      Step install failed with exit code 1",
                "Deployment failed. Step install failed with exit code 1",
                id + "  deployment broken  by ci  failed");
    }

    @Test
    void aDeployWithoutTokenIsRefusedAndTheCommandExitsThree() {
        Output out = new Output();
        int exit = Bluegreen.run(new String[] {"--gateway", gateway.baseUrl(), "deploy", APP, "v8"}, Map.of(),
                out.stream(), out.stream());

        assertThat(exit).isEqualTo(3);
        assertThat(out.text()).contains("This request needs a valid token");
    }

    private static Map<String, String> environment() {
        return Map.of("BLUEGREEN_GATEWAY", gateway.baseUrl(), "BLUEGREEN_TOKEN", RunningGateway.SHOP_TOKEN);
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

package dev.bluegreen.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.Topics;
import dev.bluegreen.sandbox.Sandbox;
import dev.bluegreen.sandbox.SandboxDroplet;
import dev.bluegreen.sandbox.SandboxSettings;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * The deploy-agent as a process of its own, killed in the middle of a deployment and started again: the deployment
 * must end, failed with a reason, and never run twice.
 */
class DeployAgentRestartTest {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static EventLog events;

    @TempDir
    Path folder;

    private Sandbox sandbox;

    private String app;

    private final List<Process> agents = new ArrayList<>();

    @BeforeAll
    static void openEventLog() {
        events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.PROVISIONING, Topics.DEPLOYMENT_LOGS);
    }

    @AfterAll
    static void closeEventLog() {
        events.close();
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process agent : agents) {
            agent.destroyForcibly();
            agent.waitFor(30, TimeUnit.SECONDS);
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void aDeploymentCutShortByAKilledAgentIsMarkedFailedAfterTheRestartAndNotRunAgain() throws Exception {
        app = "app-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        sandbox = Sandbox.start(SandboxSettings.defaults().withAppName(app).withWorkFolder(folder.resolve("sandbox")));
        Path appsFile = appsFileWithAPauseBeforeTheSteps();
        Process first = startAgentProcess(appsFile, "first");
        String deploymentId = UUID.randomUUID().toString();
        Envelope request = Envelope.of("test", deploymentId, new DeployRequested(app, "v2", null, "a test"));
        events.publish(request);
        DeploymentLog pausing = events.awaitEvent(DeploymentLog.class, event -> event.deploymentId()
                .equals(deploymentId) && event.dataAs(DeploymentLog.class).step().equals("pause"))
                .dataAs(DeploymentLog.class);

        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        startAgentProcess(appsFile, "second");

        ProvisioningFailed failed = events.awaitEvent(ProvisioningFailed.class, deploymentId, Duration.ofSeconds(90))
                .dataAs(ProvisioningFailed.class);
        assertThat(failed.dropletId()).isIn(ids(Colour.GREEN));
        assertThat(failed.reason()).isEqualTo("The deploy-agent stopped during this deployment (at step 'pause' on "
                + "droplet " + failed.dropletId() + "); the idle colour green may be half-provisioned and was not "
                + "switched to. Deploy again.");
        assertThat(failed.colour()).isEqualTo(Colour.GREEN);
        assertThat(failed.step()).isEqualTo("pause");
        assertThat(pausing.lines()).contains("Started step 'pause' on droplet " + pausing.dropletId() + ".");
        assertThat(versionsServedBy(Colour.BLUE)).containsOnly("v1");

        events.publish(request); // redelivered after the restart
        String next = UUID.randomUUID().toString();
        events.publish(Envelope.of("test", next, new DeployRequested(app, "no-such-ref", null, "a test")));

        events.awaitEvent(ProvisioningFailed.class, next, Duration.ofSeconds(90)); // one app's requests keep their order
        assertThat(events.events()).filteredOn(event -> event.deploymentId().equals(deploymentId))
                .filteredOn(event -> event.topic().equals(Topics.PROVISIONING)).extracting(Envelope::type)
                .as("the redelivered request was not run again").containsExactly("DeploymentStarted",
                        "ProvisioningFailed");
        assertThat(versionsServedBy(Colour.BLUE)).containsOnly("v1");
    }

    /** The sandbox's steps, after a first one that pauses for 30 s when v2 is deployed. */
    private Path appsFileWithAPauseBeforeTheSteps() throws IOException {
        Path appsFile = sandbox.writeAppsFile(folder.resolve("bluegreen.yml"));
        String paused = Files.readString(appsFile).replaceFirst("(?m)^(\\s+)steps:\\n", "$1steps:\n"
                + "$1  - name: \"pause\"\n"
                + "$1    timeout: 60s\n"
                + "$1    run: \"case {{ref}} in v2) echo pausing; sleep 30;; esac\"\n");
        return Files.writeString(appsFile, paused);
    }

    /** {@code java -cp <this test's class path> DeployAgentApplication --...}, its output in a file. */
    private Process startAgentProcess(Path appsFile, String name) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), DeployAgentApplication.class.getName(),
                "--bluegreen.config=" + appsFile,
                "--spring.kafka.bootstrap-servers=" + KafkaFixture.bootstrapServers(),
                // a killed agent leaves its consumer in the group until its session times out
                "--spring.kafka.consumer.properties.session.timeout.ms=6000",
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=1000",
                "--server.port=0", "--spring.main.banner-mode=off")
                .redirectErrorStream(true).redirectOutput(folder.resolve(name + "-agent.log").toFile());
        Process agent = builder.start();
        agents.add(agent);
        return agent;
    }

    private List<Long> ids(Colour colour) {
        return sandbox.droplets(colour).stream().map(SandboxDroplet::id).toList();
    }

    private List<String> versionsServedBy(Colour colour) {
        return sandbox.droplets(colour).stream().map(droplet -> get(droplet.httpUrl().resolve("/version"))).toList();
    }

    private static String get(URI url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.ofString()).body().strip();
        }
        catch (IOException ex) {
            return "no answer (" + ex + ")";
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}

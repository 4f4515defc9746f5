package dev.bluegreen.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

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
        assertThat(failed.dropletId()).isIn(sandbox.dropletIds(Colour.GREEN));
        assertThat(failed.reason()).isEqualTo("The deploy-agent stopped during this deployment (at step 'pause' on "
                + "droplet " + failed.dropletId() + "); the idle colour green may be half-provisioned and was not "
                + "switched to. Deploy again.");
        assertThat(failed.colour()).isEqualTo(Colour.GREEN);
        assertThat(failed.step()).isEqualTo("pause");
        assertThat(pausing.lines()).contains("Started step 'pause' on droplet " + pausing.dropletId() + ".");
        assertThat(sandbox.versionsServed(Colour.BLUE)).containsOnly("v1");

        events.publish(request); // redelivered after the restart
        String next = UUID.randomUUID().toString();
        events.publish(Envelope.of("test", next, new DeployRequested(app, "no-such-ref", null, "a test")));

        events.awaitEvent(ProvisioningFailed.class, next, Duration.ofSeconds(90)); // one app's requests keep their order
        assertThat(events.events()).filteredOn(event -> event.deploymentId().equals(deploymentId))
                .filteredOn(event -> event.topic().equals(Topics.PROVISIONING)).extracting(Envelope::type)
                .as("the redelivered request was not run again").containsExactly("DeploymentStarted",
                        "ProvisioningFailed");
        assertThat(sandbox.versionsServed(Colour.BLUE)).containsOnly("v1");
    }

    @Test
    void aRequestThatWaitedForAFreeSlotWhenTheAgentWasKilledIsMarkedFailedAfterTheRestart() throws Exception {
        app = "app-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        sandbox = Sandbox.start(SandboxSettings.defaults().withAppName(app).withWorkFolder(folder.resolve("sandbox")));
        Path appsFile = withASecondApp(appsFileWithAPauseBeforeTheSteps(), app + "-b");
        Process first = startAgentProcess(appsFile, "first", "--bluegreen.deploy-agent.max-concurrent-deployments=1");
        String running = UUID.randomUUID().toString();
        events.publish(Envelope.of("test", running, new DeployRequested(app, "v2", null, "a test")));
        events.awaitEvent(DeploymentLog.class, event -> event.deploymentId().equals(running)
                && event.dataAs(DeploymentLog.class).step().equals("pause"));
        String waiting = UUID.randomUUID().toString();
        events.publish(Envelope.of("test", waiting, new DeployRequested(app + "-b", "v2", null, "a test")));
        awaitEveryDeployRequestTakenOn();

        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        startAgentProcess(appsFile, "second");

        ProvisioningFailed failed = events.awaitEvent(ProvisioningFailed.class, waiting, Duration.ofSeconds(90))
                .dataAs(ProvisioningFailed.class);
        assertThat(failed.reason()).isEqualTo("The deploy-agent stopped after it took this deploy request on and "
                + "before the deployment started; nothing was deployed. Deploy again.");
        assertThat(events.awaitEvent(ProvisioningFailed.class, running, Duration.ofSeconds(90))
                .dataAs(ProvisioningFailed.class).step()).isEqualTo("pause");
        assertThat(sandbox.versionsServed(Colour.BLUE)).containsOnly("v1");
    }

    /** Waits until the agent's group has committed offsets up to the end of the deploy requests. */
    private static void awaitEveryDeployRequestTakenOn() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaFixture.bootstrapServers()))) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("deploy-agent")
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(
                        committed.keySet().stream().filter(p -> p.topic().equals(Topics.DEPLOY_REQUESTS))
                                .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get();
                return !ends.isEmpty() && ends.entrySet().stream()
                        .allMatch(end -> committed.get(end.getKey()).offset() >= end.getValue().offset());
            });
        }
    }

    /** The apps file with a copy of the app under another name: same droplets, so the agent's slots are the limit. */
    private Path withASecondApp(Path appsFile, String second) throws IOException {
        String text = Files.readString(appsFile);
        int start = text.indexOf("\n    " + app + ":\n") + 1;
        int end = text.indexOf("\n  ssh:", start) + 1;
        String block = text.substring(start, end).replaceFirst("^    " + app + ":", "    " + second + ":");
        return Files.writeString(appsFile, text.substring(0, end) + block + text.substring(end));
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
    private Process startAgentProcess(Path appsFile, String name, String... extra) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), DeployAgentApplication.class.getName(),
                "--bluegreen.config=" + appsFile,
                "--spring.kafka.bootstrap-servers=" + KafkaFixture.bootstrapServers(),
                // a killed agent leaves its consumer in the group until its session times out
                "--spring.kafka.consumer.properties.session.timeout.ms=6000",
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=1000",
                "--server.port=0", "--spring.main.banner-mode=off"));
        command.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(folder.resolve(name + "-agent.log").toFile());
        Process agent = builder.start();
        agents.add(agent);
        return agent;
    }

}

package dev.bluegreen.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.Topics;
import dev.bluegreen.sandbox.Sandbox;
import dev.bluegreen.sandbox.SandboxSettings;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * The deploy-agent as a process of its own, killed in the middle of a deployment while another instance starts: the
 * instance that takes the app over ends the deployment, failed with a reason, if its steps had begun, and runs it if
 * they had not; and never runs it twice. The killed instance's lifecycle engine had committed its position past the
 * deploy request, so the new owner learns of the deployment from the app's state, not from the request.
 */
class DeployAgentRestartTest {

    /** Both instances share it, so the second takes the first one's apps over. */
    private static final String APPLICATION_ID = "deploy-agent-restart-test";

    private static EventLog events;

    /** Kept when a test fails: it holds each agent's log. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path folder;

    private Sandbox sandbox;

    private String app;

    private final List<Process> agents = new ArrayList<>();

    @BeforeAll
    static void openEventLog() {
        events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE, Topics.DEPLOYMENT_LOGS);
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
    void aDeploymentCutShortByAKilledAgentIsFailedByTheInstanceThatTakesItOverAndNotRunAgain() throws Exception {
        app = "app-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        sandbox = Sandbox.start(SandboxSettings.defaults().withAppName(app).withWorkFolder(folder.resolve("sandbox")));
        Path appsFile = appsFileWithAPauseBeforeTheSteps();
        Process first = startAgentProcess(appsFile, "first");
        awaitAnAgentReadingTheLifecycle();
        String deploymentId = UUID.randomUUID().toString();
        Envelope request = Envelope.of("test", deploymentId, new DeployRequested(app, "v2", null, "a test"));
        events.publish(request);
        DeploymentLog pausing = events.awaitEvent(DeploymentLog.class, event -> event.deploymentId()
                .equals(deploymentId) && event.dataAs(DeploymentLog.class).step().equals("pause"),
                Duration.ofSeconds(90)).dataAs(DeploymentLog.class);
        awaitEveryLifecycleEventFolded();

        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        startAgentProcess(appsFile, "second");

        ProvisioningFailed failed = events.awaitEvent(ProvisioningFailed.class, deploymentId, Duration.ofSeconds(90))
                .dataAs(ProvisioningFailed.class);
        assertThat(failed.reason()).isEqualTo("The deploy-agent instance running this deployment stopped; green may "
                + "be half-provisioned and gets no traffic. Deploy again.");
        assertThat(failed.colour()).isEqualTo(Colour.GREEN);
        assertThat(pausing.lines()).contains("Started step 'pause' on droplet " + pausing.dropletId() + ".");
        assertThat(sandbox.versionsServed(Colour.BLUE)).containsOnly("v1");

        events.publish(request); // redelivered after the restart
        String next = UUID.randomUUID().toString();
        events.publish(Envelope.of("test", next, new DeployRequested(app, "no-such-ref", null, "a test")));

        events.awaitEvent(ProvisioningFailed.class, next, Duration.ofSeconds(90)); // the app's history keeps its order
        assertThat(events.events()).filteredOn(event -> event.deploymentId().equals(deploymentId))
                .filteredOn(event -> event.source().equals("deploy-agent") && event.topic().equals(Topics.LIFECYCLE))
                .extracting(Envelope::type).as("the redelivered request was not run again")
                .containsExactly("DeploymentStarted", "ProvisioningFailed");
        assertThat(sandbox.versionsServed(Colour.BLUE)).containsOnly("v1");
    }

    @Test
    void aDeploymentThatWaitedForAFreeSlotWhenTheAgentWasKilledRunsOnTheInstanceThatTakesItOver() throws Exception {
        app = "app-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        sandbox = Sandbox.start(SandboxSettings.defaults().withAppName(app).withWorkFolder(folder.resolve("sandbox")));
        Path appsFile = withASecondApp(appsFileWithAPauseBeforeTheSteps(), app + "-b");
        Process first = startAgentProcess(appsFile, "first", "--bluegreen.deploy-agent.max-concurrent-deployments=1");
        awaitAnAgentReadingTheLifecycle();
        String running = UUID.randomUUID().toString();
        events.publish(Envelope.of("test", running, new DeployRequested(app, "v2", null, "a test")));
        events.awaitEvent(DeploymentLog.class, event -> event.deploymentId().equals(running)
                && event.dataAs(DeploymentLog.class).step().equals("pause"), Duration.ofSeconds(90));
        String waiting = UUID.randomUUID().toString();
        events.publish(Envelope.of("test", waiting, new DeployRequested(app + "-b", "v1", null, "a test")));
        awaitEveryLifecycleEventFolded();

        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        startAgentProcess(appsFile, "second");

        EnvironmentProvisioned provisioned = events.awaitEvent(EnvironmentProvisioned.class, waiting,
                Duration.ofSeconds(90)).dataAs(EnvironmentProvisioned.class);
        assertThat(provisioned.colour()).isEqualTo(Colour.GREEN);
        assertThat(provisioned.commit()).isEqualTo(sandbox.repository().commitOf("v1"));
        assertThat(events.awaitEvent(ProvisioningFailed.class, running, Duration.ofSeconds(90))
                .dataAs(ProvisioningFailed.class).reason()).startsWith("The deploy-agent instance running this "
                        + "deployment stopped");
        assertThat(events.events()).filteredOn(event -> event.deploymentId().equals(waiting))
                .filteredOn(event -> event.source().equals("deploy-agent") && event.topic().equals(Topics.LIFECYCLE))
                .extracting(Envelope::type).as("it started only on the second instance")
                .containsExactly("DeploymentStarted", "EnvironmentProvisioned");
        assertThat(sandbox.versionsServed(Colour.BLUE)).containsOnly("v1");
    }

    /**
     * Waits until an agent's lifecycle engine has its partitions: the agent created the pipeline topics before, so a
     * request published now cannot create the lifecycle topic with the broker's default partitions, which the agent
     * would then add to, sending the app's later events to another partition than its request.
     */
    private static void awaitAnAgentReadingTheLifecycle() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaFixture.bootstrapServers()))) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> admin
                    .describeConsumerGroups(List.of(APPLICATION_ID)).all().get().get(APPLICATION_ID).members()
                    .stream().anyMatch(member -> !member.assignment().topicPartitions().isEmpty()));
        }
    }

    /**
     * Waits until the agents' lifecycle engine has committed its position up to the end of the lifecycle topic: what
     * a crash then leaves behind is the folded state, not a request to fold again.
     */
    private static void awaitEveryLifecycleEventFolded() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaFixture.bootstrapServers()))) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(APPLICATION_ID)
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(
                        committed.keySet().stream().filter(p -> p.topic().equals(Topics.LIFECYCLE))
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

    /** The sandbox's steps, after a first one that pauses for 60 s when v2 is deployed. */
    private Path appsFileWithAPauseBeforeTheSteps() throws IOException {
        Path appsFile = sandbox.writeAppsFile(folder.resolve("bluegreen.yml"));
        String paused = Files.readString(appsFile).replaceFirst("(?m)^(\\s+)steps:\\n", "$1steps:\n"
                + "$1  - name: \"pause\"\n"
                + "$1    timeout: 60s\n"
                + "$1    run: \"case {{ref}} in v2) echo pausing; sleep 60;; esac\"\n");
        return Files.writeString(appsFile, paused);
    }

    /** {@code java -cp <this test's class path> DeployAgentApplication --...}, its output in a file. */
    private Process startAgentProcess(Path appsFile, String name, String... extra) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), DeployAgentApplication.class.getName(),
                "--bluegreen.config=" + appsFile,
                "--spring.kafka.bootstrap-servers=" + KafkaFixture.bootstrapServers(),
                "--bluegreen.lifecycle.application-id=" + APPLICATION_ID,
                // a killed agent keeps its apps until its session times out
                "--bluegreen.lifecycle.session-timeout=6s",
                "--server.port=0", "--spring.main.banner-mode=off"));
        command.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(folder.resolve(name + "-agent.log").toFile());
        Process agent = builder.start();
        agents.add(agent);
        return agent;
    }

}

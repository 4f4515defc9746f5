package dev.bluegreen.agent.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppCatalogProperties;
import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DeploySpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.apps.Droplets;
import dev.bluegreen.apps.StepSpec;
import dev.bluegreen.events.CancelRequested;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RequestRefused;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.sandbox.SandboxKeys;
import dev.bluegreen.sandbox.droplet.SshDroplet;
import dev.bluegreen.ssh.SshConnector;
import dev.bluegreen.ssh.SshSettings;

/**
 * The agent's reactions to an app's lifecycle, with the state machine folding on one thread as the lifecycle engine
 * does (without Kafka), and the steps run over SSH on two real droplets: blue serves, green is idle, as the apps file
 * says at first.
 */
class ProvisioningReactorTest {

    private static final String APP = "shop";

    /** The deploy steps: write the ref; for the ref {@code slow}, also a step that sleeps for a minute. */
    private static final List<StepSpec> STEPS = List.of(
            new StepSpec("write", "echo {{ref}} > version", Duration.ofSeconds(10), true),
            new StepSpec("slow", "case {{ref}} in slow) sleep 60 & echo $! > sleep.pid; echo sleeping; wait;; esac",
                    Duration.ofSeconds(90), true));

    @TempDir
    static Path folder;

    private static SshDroplet blue;

    private static SshDroplet green;

    private static Provisioner provisioner;

    private LocalLifecycle lifecycle;

    private Deployments deployments;

    private ProvisioningReactor reactor;

    @BeforeAll
    static void startDroplets() {
        SandboxKeys keys = SandboxKeys.loadOrGenerate(folder.resolve("keys"));
        blue = SshDroplet.start(folder.resolve("blue"), keys.publicKey());
        green = SshDroplet.start(folder.resolve("green"), keys.publicKey());
        Path knownHosts = SandboxKeys.writeKnownHosts(folder.resolve("known_hosts"),
                List.of(blue.knownHostsLine(), green.knownHostsLine()));
        SshSettings ssh = new SshSettings(SshDroplet.USER, keys.privateKeyFile(), null, null, knownHosts,
                Duration.ofSeconds(10), Duration.ofSeconds(15));
        provisioner = new Provisioner(new StepRunner(new SshConnector(ssh), new TestLogs().streams()));
    }

    @AfterAll
    static void stopDroplets() {
        provisioner.destroy();
        blue.close();
        green.close();
    }

    @AfterEach
    void stopAgent() throws Exception {
        if (deployments != null) {
            deployments.destroy();
        }
        if (lifecycle != null) {
            lifecycle.close();
        }
        for (SshDroplet droplet : List.of(blue, green)) {
            Files.deleteIfExists(droplet.folder().resolve("version"));
            Files.deleteIfExists(droplet.folder().resolve("sleep.pid"));
        }
    }

    @Test
    void aDeployRequestAcceptedByTheFoldProvisionsTheColourTheFoldNames() throws IOException {
        startAgent(new DeploymentSettings(4, 16));
        // an earlier deployment went live on green: blue is idle now, though the apps file says blue serves
        String earlier = UUID.randomUUID().toString();
        lifecycle.foldUnseen(event(earlier, new DeployRequested(APP, "v1", null, "ci")));
        lifecycle.foldUnseen(event(earlier, new DeploymentStarted(APP, Colour.GREEN, "v1", List.of(2L))));
        lifecycle.foldUnseen(event(earlier, new EnvironmentProvisioned(APP, Colour.GREEN, "v1", "abc1234",
                List.of(2L), 10)));
        lifecycle.foldUnseen(event(earlier, new EnvironmentHealthy(APP, Colour.GREEN, "v1", "abc1234", List.of(),
                10)));
        lifecycle.foldUnseen(event(earlier, new TrafficSwitched(APP, Colour.BLUE, Colour.GREEN, List.of(2L), 10)));
        assertThat(lifecycle.state(APP).idle()).isEqualTo(Colour.BLUE);

        String deploymentId = deploy("v2");

        EnvironmentProvisioned provisioned = awaitPublished(EnvironmentProvisioned.class, deploymentId);
        assertThat(provisioned.colour()).isEqualTo(Colour.BLUE);
        assertThat(provisioned.dropletIds()).containsExactly(1L);
        assertThat(blue.folder().resolve("version")).hasContent("v2");
        assertThat(green.folder().resolve("version")).as("the live colour was not touched").doesNotExist();
        assertThat(lifecycle.publishedFor(deploymentId)).extracting(Envelope::type).as("in the order they happened")
                .containsSubsequence("DeploymentStarted", "DeploymentLog", "EnvironmentProvisioned");
        assertThat(lifecycle.state(APP).phase()).as("the fold took the outcome in")
                .isEqualTo(dev.bluegreen.events.Phase.CHECKING);
    }

    @Test
    void aRefusedDeployRequestIsSaidAloudAndRunsNoStep() {
        startAgent(new DeploymentSettings(4, 16));
        String running = deploy("slow");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(green.folder().resolve("sleep.pid")));

        String refused = deploy("v2");

        RequestRefused refusal = awaitPublished(RequestRefused.class, refused);
        assertThat(refusal.app()).isEqualTo(APP);
        assertThat(refusal.request()).isEqualTo("DeployRequested");
        assertThat(refusal.reason()).isEqualTo("Deployment " + running + " of shop is provisioning green. Deployment "
                + refused + " was not started; request it again when that has ended, or cancel it.");
        assertThat(lifecycle.publishedFor(refused)).extracting(Envelope::type).containsExactly("RequestRefused");
        assertThat(green.folder().resolve("version")).as("the running deployment's step, not the refused one's")
                .hasContent("slow");
        assertThat(deployments.runs(APP, running)).isTrue();
    }

    @Test
    void aCancelDuringProvisioningKillsTheRunningStepAndNothingMoreIsPublishedForIt() throws Exception {
        startAgent(new DeploymentSettings(4, 16));
        String deploymentId = deploy("slow");
        Path pidFile = green.folder().resolve("sleep.pid");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(pidFile) && !Files.readString(pidFile)
                .isBlank());
        long sleepPid = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(ProcessHandle.of(sleepPid)).as("the step's sleep runs").hasValueSatisfying(
                process -> assertThat(process.isAlive()).isTrue());

        lifecycle.fold(event(deploymentId, new CancelRequested(APP, "a test", "changed my mind")));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ProcessHandle.of(sleepPid)
                .filter(ProcessHandle::isAlive)).as("the step's sleep was killed").isEmpty());
        await().atMost(Duration.ofSeconds(20)).until(() -> !deployments.runs(APP, deploymentId));
        int publishedWhenStopped = lifecycle.publishedFor(deploymentId).size();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> lifecycle.publishedFor(deploymentId).size() == publishedWhenStopped);
        assertThat(lifecycle.publishedFor(deploymentId)).extracting(Envelope::type)
                .doesNotContain("ProvisioningFailed", "EnvironmentProvisioned");
        assertThat(lifecycle.state(APP).last().result().name()).isEqualTo("CANCELLED");
    }

    @Test
    void aDeploymentThatStartedOnAnInstanceThatStoppedIsFailedWithTheReasonByTheInstanceThatTakesItOver() {
        startAgent(new DeploymentSettings(4, 16));
        String deploymentId = UUID.randomUUID().toString();
        lifecycle.foldUnseen(event(deploymentId, new DeployRequested(APP, "v2", null, "ci")));
        lifecycle.foldUnseen(event(deploymentId, new DeploymentStarted(APP, Colour.GREEN, "v2", List.of(2L))));

        lifecycle.own(APP);

        ProvisioningFailed failed = awaitPublished(ProvisioningFailed.class, deploymentId);
        assertThat(failed.reason()).isEqualTo("The deploy-agent instance running this deployment stopped; green may "
                + "be half-provisioned and gets no traffic. Deploy again.");
        assertThat(failed.colour()).isEqualTo(Colour.GREEN);
        assertThat(failed.ref()).isEqualTo("v2");
        await().atMost(Duration.ofSeconds(5)).until(() -> lifecycle.state(APP).idleApp());
        assertThat(lifecycle.publishedFor(deploymentId)).extracting(Envelope::type)
                .containsExactly("ProvisioningFailed");
        assertThat(green.folder().resolve("version")).as("no step ran again").doesNotExist();
    }

    @Test
    void aDeploymentThatHadNotStartedWhenItsInstanceStoppedStartsOnTheInstanceThatTakesItOver() {
        startAgent(new DeploymentSettings(4, 16));
        String deploymentId = UUID.randomUUID().toString();
        lifecycle.foldUnseen(event(deploymentId, new DeployRequested(APP, "v2", null, "ci")));

        lifecycle.own(APP);

        EnvironmentProvisioned provisioned = awaitPublished(EnvironmentProvisioned.class, deploymentId);
        assertThat(provisioned.colour()).isEqualTo(Colour.GREEN);
        assertThat(green.folder().resolve("version")).hasContent("v2");
    }

    @Test
    void aDeployRequestFoldedAgainAfterItsDeploymentMovedOnRunsNoStep() {
        startAgent(new DeploymentSettings(4, 16));
        String deploymentId = UUID.randomUUID().toString();
        Envelope request = event(deploymentId, new DeployRequested(APP, "v2", null, "ci"));
        lifecycle.foldUnseen(request);
        lifecycle.foldUnseen(event(deploymentId, new DeploymentStarted(APP, Colour.GREEN, "v2", List.of(2L))));
        lifecycle.foldUnseen(event(deploymentId, new EnvironmentProvisioned(APP, Colour.GREEN, "v2", "abc1234",
                List.of(2L), 10)));

        lifecycle.pauseFolding();

        // after a crash, the instance that takes over folds the request again, behind which the rest of its history
        // (the first run's DeploymentStarted and EnvironmentProvisioned) is still to come
        reactor.onTransition(AppState.initial(APP, Colour.BLUE).apply(request));

        await().atMost(Duration.ofSeconds(20)).until(() -> !lifecycle.publishedFor(deploymentId).isEmpty());
        await("no step runs before the fold caught up").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> !Files.exists(green.folder().resolve("version")));
        lifecycle.resumeFolding();
        await().atMost(Duration.ofSeconds(20)).until(() -> !deployments.runs(APP, deploymentId));
        assertThat(lifecycle.publishedFor(deploymentId)).extracting(Envelope::type)
                .containsExactly("DeploymentStarted");
        assertThat(green.folder().resolve("version")).as("no step ran on the colour being checked").doesNotExist();
        assertThat(lifecycle.state(APP).phase()).isEqualTo(dev.bluegreen.events.Phase.CHECKING);
    }

    @Test
    void aDeploymentFailsSayingTheAgentIsBusyWhenNoSlotIsFree() {
        startAgent(new DeploymentSettings(1, 0), "blog");
        String running = deploy("slow");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(green.folder().resolve("sleep.pid")));

        String deploymentId = UUID.randomUUID().toString();
        lifecycle.fold(Envelope.of("test", deploymentId, new DeployRequested("blog", "v2", null, "ci")));

        ProvisioningFailed failed = awaitPublished(ProvisioningFailed.class, deploymentId);
        assertThat(failed.reason()).isEqualTo("The deploy-agent is busy with 1 deployments and has 0 waiting; this "
                + "one was not started. Deploy again later.");
        await().atMost(Duration.ofSeconds(5)).until(() -> lifecycle.state("blog").idleApp());
        assertThat(deployments.runs(APP, running)).isTrue();
    }

    @Test
    void aDeployRequestOfAnAppNotInTheAppsFileIsRefusedSayingSo() {
        startAgent(new DeploymentSettings(4, 16));
        String deploymentId = UUID.randomUUID().toString();

        reactor.onUnknownApp(Envelope.of("test", deploymentId, new DeployRequested("shopp", "v2", null, "ci")));

        RequestRefused refused = awaitPublished(RequestRefused.class, deploymentId);
        assertThat(refused.app()).isEqualTo("shopp");
        assertThat(refused.reason()).isEqualTo("There is no app named shopp in the apps file of the deploy-agent.");
    }

    private void startAgent(DeploymentSettings settings, String... otherApps) {
        lifecycle = new LocalLifecycle(Colour.BLUE);
        deployments = new Deployments(provisioner, lifecycle, settings);
        Map<String, AppSpec> apps = new java.util.HashMap<>(Map.of(APP, app()));
        for (String other : otherApps) {
            apps.put(other, app());
        }
        reactor = new ProvisioningReactor(new AppCatalog(new AppCatalogProperties(apps)), deployments, lifecycle);
        lifecycle.reactor(reactor);
    }

    private static AppSpec app() {
        return new AppSpec("lb-1", "https://git.example/shop.git", "main", Colour.BLUE,
                new Droplets(List.of(spec(1, blue)), List.of(spec(2, green))),
                new DeploySpec(".", STEPS, "echo abc1234", null, null, null), null, null, null);
    }

    private static DropletSpec spec(long id, SshDroplet droplet) {
        return new DropletSpec(id, droplet.sshAddress(), droplet.httpUrl().toString(), null, null);
    }

    private String deploy(String ref) {
        String deploymentId = UUID.randomUUID().toString();
        lifecycle.fold(event(deploymentId, new DeployRequested(APP, ref, null, "a test")));
        return deploymentId;
    }

    private static Envelope event(String deploymentId, PipelineEvent event) {
        return Envelope.of("test", deploymentId, event);
    }

    private <T extends PipelineEvent> T awaitPublished(Class<T> type, String deploymentId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> lifecycle.publishedFor(deploymentId).stream()
                .map(Envelope::data).filter(type::isInstance).map(type::cast).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }
}

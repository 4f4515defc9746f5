package dev.bluegreen.agent.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DeploySpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.apps.Droplets;
import dev.bluegreen.apps.StepSpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.sandbox.SandboxKeys;
import dev.bluegreen.sandbox.droplet.SshDroplet;
import dev.bluegreen.ssh.SshConnector;
import dev.bluegreen.ssh.SshSettings;

/** One colour of two real SSH droplets, provisioned together. */
class ProvisionerTest {

    @TempDir
    static Path folder;

    private static final List<SshDroplet> servers = new ArrayList<>();

    private static List<DropletSpec> green;

    private static Provisioner provisioner;

    private static final TestLogs published = new TestLogs();

    @BeforeAll
    static void startDroplets() {
        SandboxKeys keys = SandboxKeys.loadOrGenerate(folder.resolve("keys"));
        servers.add(SshDroplet.start(folder.resolve("green-1"), keys.publicKey()));
        servers.add(SshDroplet.start(folder.resolve("green-2"), keys.publicKey()));
        green = List.of(new DropletSpec(21, servers.get(0).sshAddress(), servers.get(0).httpUrl().toString(), null, null),
                new DropletSpec(22, servers.get(1).sshAddress(), servers.get(1).httpUrl().toString(), null, null));
        Path knownHosts = SandboxKeys.writeKnownHosts(folder.resolve("known_hosts"),
                servers.stream().map(SshDroplet::knownHostsLine).toList());
        SshSettings ssh = new SshSettings(SshDroplet.USER, keys.privateKeyFile(), null, null, knownHosts,
                Duration.ofSeconds(10), Duration.ofSeconds(15));
        provisioner = new Provisioner(new StepRunner(new SshConnector(ssh), published.streams()));
    }

    @AfterAll
    static void stopDroplets() throws Exception {
        servers.forEach(SshDroplet::close);
        provisioner.destroy();
    }

    @Test
    void provisionsEveryDropletOfTheColourAndNamesThemAll() throws Exception {
        writeOnEachDroplet("commit-id", "abc123", "abc123");

        PipelineEvent outcome = provision(step("show", "cat commit-id"));

        assertThat(outcome).isInstanceOfSatisfying(EnvironmentProvisioned.class, provisioned -> {
            assertThat(provisioned.colour()).isEqualTo(Colour.GREEN);
            assertThat(provisioned.commit()).isEqualTo("abc123");
            assertThat(provisioned.dropletIds()).containsExactly(21L, 22L);
        });
    }

    @Test
    void aFailureOnOneDropletFailsTheDeploymentNamingThatDroplet() throws Exception {
        writeOnEachDroplet("commit-id", "abc123", "abc123");
        writeOnEachDroplet("healthy", "yes", "no");

        PipelineEvent outcome = provision(step("check", "grep -q yes healthy"));

        assertThat(outcome).isInstanceOfSatisfying(ProvisioningFailed.class, failed -> {
            assertThat(failed.dropletId()).isEqualTo(22L);
            assertThat(failed.step()).isEqualTo("check");
            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(failed.reason()).isEqualTo("Step 'check' failed on droplet 22 with exit code 1.");
        });
    }

    @Test
    void dropletsThatCheckedOutDifferentCommitsFailTheDeployment() throws Exception {
        writeOnEachDroplet("commit-id", "abc123", "def456");

        PipelineEvent outcome = provision(step("show", "true"));

        assertThat(outcome).isInstanceOfSatisfying(ProvisioningFailed.class, failed -> assertThat(failed.reason())
                .isEqualTo("The droplets of green checked out different commits (abc123, def456): the ref v2 moved "
                        + "during the deployment. Deploy it again."));
    }

    @Test
    void aStepHangingPastItsTimeoutFailsTheDeploymentSayingHowLongItWaited() throws Exception {
        writeOnEachDroplet("commit-id", "abc123", "abc123");

        PipelineEvent outcome = provision(new StepSpec("migrate", "echo migrating; sleep 30", Duration.ofMillis(700),
                true));

        assertThat(outcome).isInstanceOfSatisfying(ProvisioningFailed.class, failed -> {
            assertThat(failed.reason()).matches("Step 'migrate' on droplet 2[12] timed out after 0.7s\\. 1 other "
                    + "droplet\\(s\\) of green failed too\\.");
            assertThat(failed.step()).isEqualTo("migrate");
            assertThat(failed.exitCode()).isNull();
            assertThat(failed.outputTail()).isEqualTo("migrating");
        });
    }

    @Test
    void aDeployOfTheCommitTheIdleColourAlreadyRunsIsSkippedAndSaysSo() throws Exception {
        String commit = "0123456789abcdef0123456789abcdef01234567";
        writeOnEachDroplet("commit-id", commit, commit);
        Files.deleteIfExists(servers.get(0).folder().resolve("ran"));
        published.published.clear();

        PipelineEvent outcome = provision(new DeployRequested("shop", "v2", "0123456789ab", "ci"), true,
                step("run", "echo ran > ran"));

        assertThat(outcome).isInstanceOfSatisfying(EnvironmentProvisioned.class, provisioned -> {
            assertThat(provisioned.commit()).isEqualTo(commit);
            assertThat(provisioned.dropletIds()).containsExactly(21L, 22L);
        });
        assertThat(servers.get(0).folder().resolve("ran")).as("no step ran").doesNotExist();
        assertThat(published.of(DeploymentStarted.class)).singleElement()
                .satisfies(started -> assertThat(started.dropletIds()).containsExactly(21L, 22L));
        assertThat(published.of(DeploymentLog.class)).extracting(DeploymentLog::lines).containsExactlyInAnyOrder(
                List.of("Droplet 21 already runs commit " + commit + ", the commit requested: every step was "
                        + "skipped."),
                List.of("Droplet 22 already runs commit " + commit + ", the commit requested: every step was "
                        + "skipped."));
    }

    @Test
    void aDeployIsNotSkippedWhenOneDropletRunsAnotherCommit() throws Exception {
        String commit = "0123456789abcdef0123456789abcdef01234567";
        writeOnEachDroplet("commit-id", commit, "fedcba9876543210fedcba9876543210fedcba98");
        Files.deleteIfExists(servers.get(0).folder().resolve("ran"));

        provision(new DeployRequested("shop", "v2", commit, "ci"), true, step("run", "echo ran > ran"));

        assertThat(servers.get(0).folder().resolve("ran")).as("the steps ran").hasContent("ran");
    }

    @Test
    void aRunOnceStepRunsOnTheFirstDropletAloneBeforeTheOthersBeginTheirSteps() throws Exception {
        writeOnEachDroplet("commit-id", "abc123", "abc123");
        Path order = folder.resolve("order");
        Files.deleteIfExists(order);
        String log = "echo \"$(basename \"$PWD\") %s\" >> '" + order + "'";

        PipelineEvent outcome = provision(step("fetch", log.formatted("fetch")),
                new StepSpec("migrate", "sleep 0.5; " + log.formatted("migrate"), Duration.ofSeconds(10), true, true),
                step("restart", log.formatted("restart")));

        assertThat(outcome).isInstanceOf(EnvironmentProvisioned.class);
        List<String> ran = Files.readAllLines(order);
        assertThat(ran).containsOnlyOnce("green-1 migrate").doesNotContain("green-2 migrate")
                .containsSubsequence("green-1 fetch", "green-1 migrate", "green-2 fetch", "green-2 restart")
                .contains("green-1 restart");
    }

    @Test
    void aFailedRunOnceStepLeavesTheOtherDropletsUntouchedAndTheReasonSaysWhy() throws Exception {
        writeOnEachDroplet("commit-id", "abc123", "abc123");
        Files.deleteIfExists(servers.get(1).folder().resolve("ran"));

        PipelineEvent outcome = provision(step("fetch", "echo ran > ran"),
                new StepSpec("migrate", "echo no database >&2; exit 3", Duration.ofSeconds(10), true, true));

        assertThat(outcome).isInstanceOfSatisfying(ProvisioningFailed.class, failed -> {
            assertThat(failed.reason()).isEqualTo("Step 'migrate' failed on droplet 21 with exit code 3. 1 other "
                    + "droplet(s) of green ran no step: they begin only once the run-once step 'migrate' passed on "
                    + "droplet 21.");
            assertThat(failed.dropletId()).isEqualTo(21L);
            assertThat(failed.outputTail()).isEqualTo("no database");
        });
        assertThat(servers.get(1).folder().resolve("ran")).as("droplet 22 ran nothing").doesNotExist();
    }

    private static PipelineEvent provision(DeployRequested request, boolean skipUnchanged, StepSpec step)
            throws InterruptedException {
        AppSpec app = new AppSpec("lb-1", "https://git.example/shop.git", "main", Colour.BLUE,
                new Droplets(green, green), new DeploySpec(".", List.of(step), "cat commit-id", null, null,
                        skipUnchanged), null, null, null);
        return provisioner.provision(published.run("d-1"), request, app, Colour.GREEN);
    }

    private static PipelineEvent provision(StepSpec... steps) throws InterruptedException {
        AppSpec app = new AppSpec("lb-1", "https://git.example/shop.git", "main", Colour.BLUE,
                new Droplets(green, green), new DeploySpec(".", List.of(steps), "cat commit-id", null, null, null), null, null, null);
        return provisioner.provision(published.run("d-1"), new DeployRequested("shop", "v2", null, "test"), app,
                Colour.GREEN);
    }

    private static void writeOnEachDroplet(String file, String first, String second) throws Exception {
        Files.writeString(servers.get(0).folder().resolve(file), first + "\n");
        Files.writeString(servers.get(1).folder().resolve(file), second + "\n");
    }

    private static StepSpec step(String name, String run) {
        return new StepSpec(name, run, Duration.ofSeconds(10), true);
    }
}

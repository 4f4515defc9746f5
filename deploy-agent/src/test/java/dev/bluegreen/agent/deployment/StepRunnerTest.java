package dev.bluegreen.agent.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.agent.deployment.DropletOutcome.Failed;
import dev.bluegreen.agent.deployment.DropletOutcome.Provisioned;
import dev.bluegreen.agent.ssh.TestConnectors;
import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DeploySpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.apps.Droplets;
import dev.bluegreen.apps.StepSpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.sandbox.SandboxKeys;
import dev.bluegreen.sandbox.droplet.SshDroplet;

/** The steps of one droplet, run over SSH on a real SSH droplet from the sandbox. */
class StepRunnerTest {

    @TempDir
    static Path folder;

    private static SshDroplet server;

    private static DropletSpec droplet;

    private static StepRunner runner;

    @BeforeAll
    static void startDroplet() {
        SandboxKeys keys = SandboxKeys.loadOrGenerate(folder.resolve("keys"));
        server = SshDroplet.start(folder.resolve("droplet"), keys.publicKey());
        droplet = new DropletSpec(7, server.sshAddress(), server.httpUrl().toString(), null, null);
        Path knownHosts = SandboxKeys.writeKnownHosts(folder.resolve("known_hosts"), List.of(server.knownHostsLine()));
        runner = new StepRunner(TestConnectors.connector(SshDroplet.USER, keys.privateKeyFile(), null, knownHosts,
                Duration.ofSeconds(10)));
    }

    @AfterAll
    static void stopDroplet() {
        server.close();
    }

    @Test
    void runsEveryStepInTheAppsDirectoryAndReportsTheCommitTheCommitCommandPrints() throws Exception {
        Files.createDirectories(server.folder().resolve("app"));
        DeployPlan plan = plan("echo abc123", step("write", "echo {{ref}} > version"));

        DropletOutcome outcome = runner.provision(droplet, plan, "shop", "d-1");

        assertThat(outcome).isEqualTo(new Provisioned(7, "abc123"));
        assertThat(server.folder().resolve("app/version")).hasContent("v2");
    }

    @Test
    void stopsAtTheFirstFailingStepAndKeepsItsExitCodeAndOutput() throws Exception {
        Files.createDirectories(server.folder().resolve("app"));
        Files.deleteIfExists(server.folder().resolve("app/ran"));
        DeployPlan plan = plan("echo abc123", step("first", "echo first >> ran"),
                step("second", "echo something broke >&2; exit 4"), step("third", "echo third >> ran"));

        DropletOutcome outcome = runner.provision(droplet, plan, "shop", "d-2");

        assertThat(outcome).isEqualTo(new Failed(7, "Step 'second' failed on droplet 7 with exit code 4.", "second", 4,
                "something broke"));
        assertThat(server.folder().resolve("app/ran")).hasContent("first");
    }

    @Test
    void aStepPastItsTimeoutFailsSayingHowLongItWaited() throws Exception {
        Files.createDirectories(server.folder().resolve("app"));
        DeployPlan plan = plan("echo abc123",
                new StepSpec("migrate", "echo migrating; sleep 30", Duration.ofMillis(500), true));

        DropletOutcome outcome = runner.provision(droplet, plan, "shop", "d-3");

        assertThat(outcome).isEqualTo(new Failed(7, "Step 'migrate' on droplet 7 timed out after 0.5s.", "migrate",
                null, "migrating"));
    }

    @Test
    void aCommitCommandThatFailsIsNamedAsSuch() throws Exception {
        Files.createDirectories(server.folder().resolve("app"));
        DeployPlan plan = plan("git rev-parse HEAD", step("nothing", "true"));

        DropletOutcome outcome = runner.provision(droplet, plan, "shop", "d-4");

        assertThat(outcome).isInstanceOfSatisfying(Failed.class, failed -> {
            assertThat(failed.reason()).startsWith("The commit command failed on droplet 7 with exit code");
            assertThat(failed.step()).isEqualTo(DeployPlan.COMMIT_COMMAND);
        });
    }

    @Test
    void aMissingDirectoryFailsTheFirstStep() throws Exception {
        DeployPlan plan = DeployPlan.of("d-5", new DeployRequested("shop", "v2", null, "test"),
                app(server.folder().resolve("no-such-directory").toString(), "true", step("fetch", "true")),
                Colour.GREEN);

        DropletOutcome outcome = runner.provision(droplet, plan, "shop", "d-5");

        assertThat(outcome).isInstanceOfSatisfying(Failed.class, failed -> {
            assertThat(failed.step()).isEqualTo("fetch");
            assertThat(failed.outputTail()).contains("no-such-directory");
        });
    }

    private static DeployPlan plan(String commitCommand, StepSpec... steps) {
        return DeployPlan.of("d-1", new DeployRequested("shop", "v2", null, "test"),
                app(server.folder().resolve("app").toString(), commitCommand, steps), Colour.GREEN);
    }

    private static StepSpec step(String name, String run) {
        return new StepSpec(name, run, Duration.ofSeconds(10), true);
    }

    static AppSpec app(String directory, String commitCommand, StepSpec... steps) {
        return new AppSpec("lb-1", "https://git.example/shop.git", "main", Colour.BLUE,
                new Droplets(List.of(droplet), List.of(droplet)), new DeploySpec(directory, List.of(steps),
                        commitCommand, null, null, null), null, null, null);
    }
}

package dev.bluegreen.agent.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.agent.deployment.DropletOutcome.Failed;
import dev.bluegreen.agent.deployment.DropletOutcome.Provisioned;
import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DeploySpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.apps.Droplets;
import dev.bluegreen.apps.StepSpec;
import dev.bluegreen.deployplan.DeployPlan;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.sandbox.SandboxKeys;
import dev.bluegreen.sandbox.droplet.SshDroplet;
import dev.bluegreen.ssh.SshConnector;
import dev.bluegreen.ssh.SshSettings;

/** The steps of one droplet, run over SSH on a real SSH droplet from the sandbox. */
class StepRunnerTest {

    @TempDir
    static Path folder;

    private static SshDroplet server;

    private static DropletSpec droplet;

    private static StepRunner runner;

    private static final TestLogs published = new TestLogs();

    @BeforeAll
    static void startDroplet() {
        SandboxKeys keys = SandboxKeys.loadOrGenerate(folder.resolve("keys"));
        server = SshDroplet.start(folder.resolve("droplet"), keys.publicKey());
        droplet = new DropletSpec(7, server.sshAddress(), server.httpUrl().toString(), null, null);
        Path knownHosts = SandboxKeys.writeKnownHosts(folder.resolve("known_hosts"), List.of(server.knownHostsLine()));
        SshSettings ssh = new SshSettings(SshDroplet.USER, keys.privateKeyFile(), null, null, knownHosts,
                Duration.ofSeconds(10), Duration.ofSeconds(15));
        runner = new StepRunner(new SshConnector(ssh), published.streams("hunter2-secret"));
    }

    @AfterAll
    static void stopDroplet() {
        server.close();
    }

    @Test
    void runsEveryStepInTheAppsDirectoryAndReportsTheCommitTheCommitCommandPrints() throws Exception {
        Files.createDirectories(server.folder().resolve("app"));
        DeployPlan plan = plan("echo abc123", step("write", "echo {{ref}} > version"));

        DropletOutcome outcome = runner.provision(droplet, plan, published.run("d-1"));

        assertThat(outcome).isEqualTo(new Provisioned(7, "abc123"));
        assertThat(server.folder().resolve("app/version")).hasContent("v2");
    }

    @Test
    void stopsAtTheFirstFailingStepAndKeepsItsExitCodeAndOutput() throws Exception {
        Files.createDirectories(server.folder().resolve("app"));
        Files.deleteIfExists(server.folder().resolve("app/ran"));
        DeployPlan plan = plan("echo abc123", step("first", "echo first >> ran"),
                step("second", "echo something broke >&2; exit 4"), step("third", "echo third >> ran"));

        DropletOutcome outcome = runner.provision(droplet, plan, published.run("d-2"));

        assertThat(outcome).isEqualTo(new Failed(7, "Step 'second' failed on droplet 7 with exit code 4.", "second", 4,
                "something broke"));
        assertThat(server.folder().resolve("app/ran")).hasContent("first");
    }

    @Test
    void aStepPastItsTimeoutFailsSayingHowLongItWaited() throws Exception {
        Files.createDirectories(server.folder().resolve("app"));
        DeployPlan plan = plan("echo abc123",
                new StepSpec("migrate", "echo migrating; sleep 30", Duration.ofMillis(500), true));

        DropletOutcome outcome = runner.provision(droplet, plan, published.run("d-3"));

        assertThat(outcome).isEqualTo(new Failed(7, "Step 'migrate' on droplet 7 timed out after 0.5s.", "migrate",
                null, "migrating"));
    }

    @Test
    void aCommitCommandThatFailsIsNamedAsSuch() throws Exception {
        Files.createDirectories(server.folder().resolve("app"));
        DeployPlan plan = plan("git rev-parse HEAD", step("nothing", "true"));

        DropletOutcome outcome = runner.provision(droplet, plan, published.run("d-4"));

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

        DropletOutcome outcome = runner.provision(droplet, plan, published.run("d-5"));

        assertThat(outcome).isInstanceOfSatisfying(Failed.class, failed -> {
            assertThat(failed.step()).isEqualTo("fetch");
            assertThat(failed.outputTail()).contains("no-such-directory");
        });
    }

    @Test
    void aStepThatDoesNotAbortOnFailureIsLoggedAndTheNextStepRuns() throws Exception {
        Files.createDirectories(server.folder().resolve("app"));
        Files.deleteIfExists(server.folder().resolve("app/ran"));
        DeployPlan plan = plan("echo abc123", new StepSpec("warm-cache", "exit 3", Duration.ofSeconds(10), false),
                step("after", "echo after >> ran"));

        DropletOutcome outcome = runner.provision(droplet, plan, published.run("d-6"));

        assertThat(outcome).isEqualTo(new Provisioned(7, "abc123"));
        assertThat(server.folder().resolve("app/ran")).hasContent("after");
        assertThat(published.of(DeploymentLog.class)).filteredOn(log -> log.step().equals("warm-cache"))
                .flatMap(DeploymentLog::lines)
                .contains("Step 'warm-cache' failed on droplet 7 with exit code 3. It does not abort the deployment: "
                        + "the next one runs.");
    }

    @Test
    void preDeployHooksRunBeforeTheStepsAndPostDeployHooksAfter() throws Exception {
        Files.createDirectories(server.folder().resolve("app"));
        Files.deleteIfExists(server.folder().resolve("app/order"));
        AppSpec app = new AppSpec("lb-1", "https://git.example/shop.git", "main", Colour.BLUE,
                new Droplets(List.of(droplet), List.of(droplet)), new DeploySpec(server.folder().resolve("app")
                        .toString(), List.of(step("step", "echo step >> order")), "echo abc123",
                        List.of(step("pre", "echo pre >> order")), List.of(step("post", "echo post >> order")), null),
                null, null, null);
        DeployPlan plan = DeployPlan.of("d-7", new DeployRequested("shop", "v2", null, "test"), app, Colour.GREEN);

        assertThat(runner.provision(droplet, plan, published.run("d-7"))).isEqualTo(new Provisioned(7, "abc123"));
        assertThat(Files.readAllLines(server.folder().resolve("app/order"))).containsExactly("pre", "step", "post");
    }

    @Test
    void eachStepsOutputIsStreamedInOrderWithSecretsMasked() throws Exception {
        Files.createDirectories(server.folder().resolve("app"));
        published.published.clear();
        DeployPlan plan = plan("echo abc123", step("talk", "echo one; echo token is hunter2-secret >&2; "
                + "echo '-----BEGIN OPENSSH PRIVATE KEY-----'; echo b3BlbnNzaC1rZXk; "
                + "echo '-----END OPENSSH PRIVATE KEY-----'; echo two"));

        runner.provision(droplet, plan, published.run("d-8"));

        List<DeploymentLog> talk = published.of(DeploymentLog.class).stream()
                .filter(log -> log.step().equals("talk")).toList();
        assertThat(talk).extracting(DeploymentLog::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(talk).allSatisfy(log -> {
            assertThat(log.app()).isEqualTo("shop");
            assertThat(log.colour()).isEqualTo(Colour.GREEN);
            assertThat(log.dropletId()).isEqualTo(7);
        });
        List<String> lines = talk.stream().flatMap(log -> log.lines().stream()).toList();
        assertThat(lines).contains("Started step 'talk' on droplet 7.", "one", "two", "token is ******")
                .containsSubsequence("one", "two")
                .noneMatch(line -> line.contains("hunter2") || line.contains("BEGIN") || line.contains("b3Blbn"));
    }

    @Test
    void theOutputTailOfAFailedStepShowsNoPartOfASecretThatItsWindowCuts() throws Exception {
        Files.createDirectories(server.folder().resolve("app"));
        // no line break: the last 4 KB begin in the middle of the secret
        DeployPlan plan = plan("echo abc123", step("leak", "printf '%s' hunter2-secret; "
                + "head -c " + (StepLog.TAIL_BYTES - 7) + " /dev/zero | tr '\\0' y; exit 3"));

        DropletOutcome outcome = runner.provision(droplet, plan, published.run("d-10"));

        assertThat(outcome).isInstanceOfSatisfying(Failed.class, failed -> {
            assertThat(failed.exitCode()).isEqualTo(3);
            assertThat(failed.outputTail()).endsWith("yyyy");
            String secret = "hunter2-secret";
            for (int i = 0; i + 4 <= secret.length(); i++) {
                assertThat(failed.outputTail()).doesNotContain(secret.substring(i, i + 4));
            }
        });
    }

    @Test
    void aConnectionDroppedMidStepFailsTheDropletSayingTheConnectionWasLostDuringThatStep() throws Exception {
        SandboxKeys keys = SandboxKeys.loadOrGenerate(folder.resolve("keys"));
        SshDroplet dropping = SshDroplet.start(folder.resolve("dropping"), keys.publicKey());
        DropletSpec target = new DropletSpec(9, dropping.sshAddress(), dropping.httpUrl().toString(), null,
                dropping.hostKeyFingerprint());
        DeployPlan plan = DeployPlan.of("d-9", new DeployRequested("shop", "v2", null, "test"),
                app(dropping.folder().toString(), "echo abc123", step("wait", "echo waiting; sleep 30")),
                Colour.GREEN);
        try {
            CompletableFuture<DropletOutcome> provisioning = CompletableFuture.supplyAsync(() -> {
                try {
                    return runner.provision(target, plan, published.run("d-9"));
                }
                catch (InterruptedException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> published.of(DeploymentLog.class).stream()
                    .anyMatch(log -> log.dropletId() == 9 && log.lines().contains("waiting")));

            dropping.close();

            assertThat(provisioning.get(20, TimeUnit.SECONDS)).isInstanceOfSatisfying(Failed.class, failed -> {
                assertThat(failed.reason()).startsWith("The SSH connection to droplet 9 (" + target.ssh()
                        + ") was lost").endsWith("(during step 'wait')");
                assertThat(failed.step()).isEqualTo("wait");
                assertThat(failed.exitCode()).isNull();
            });
        }
        finally {
            dropping.close();
        }
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

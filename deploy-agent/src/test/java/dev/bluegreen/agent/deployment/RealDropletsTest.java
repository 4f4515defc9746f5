package dev.bluegreen.agent.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DeploySpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.apps.Droplets;
import dev.bluegreen.apps.StepSpec;
import dev.bluegreen.dropletlab.DropletLab;
import dev.bluegreen.dropletlab.DropletPrerequisites;
import dev.bluegreen.dropletlab.NetnsDroplet;
import dev.bluegreen.dropletlab.SampleRepository;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.ssh.CommandResult;
import dev.bluegreen.ssh.DropletShell;
import dev.bluegreen.ssh.SshConnector;
import dev.bluegreen.ssh.SshSettings;

/**
 * The deploy-agent against droplets that run the seed's stack: OpenSSH's sshd (logged in to as root), nginx with the
 * bootstrap kit's site and gunicorn as the kit's unit runs it, serving a Flask app from a git repository (the droplet
 * lab). The steps are the README's default workflow, as an app without {@code deploy.steps} gets it.
 */
class RealDropletsTest {

    private static final String APP = DropletLab.APP;

    @TempDir
    static Path folder;

    private static DropletLab lab;

    private static List<DropletSpec> green;

    private static SshConnector ssh;

    private static Provisioner provisioner;

    private static final TestLogs published = new TestLogs();

    @BeforeAll
    static void startDroplets() {
        DropletPrerequisites.assumeAvailable();
        lab = DropletLab.start(folder.resolve("lab"), 2);
        green = lab.droplets().stream()
                .map(droplet -> new DropletSpec(31 + droplet.index(), droplet.sshAddress(),
                        droplet.httpUrl().toString(), null, null))
                .toList();
        // host keys are verified as always: the lab's known_hosts lists each droplet's own key
        ssh = new SshConnector(new SshSettings(DropletLab.USER, lab.clientPrivateKey(), null, null, lab.knownHosts(),
                Duration.ofSeconds(10), Duration.ofSeconds(15)));
        provisioner = new Provisioner(new StepRunner(ssh, published.streams()));
    }

    @AfterAll
    static void stopDroplets() {
        if (lab != null) {
            provisioner.destroy();
            ssh.destroy();
            lab.close();
        }
    }

    /** Each test begins with gunicorn running on every droplet, as the kit's unit keeps it. */
    @BeforeEach
    void gunicornRunsOnEveryDroplet() {
        onEveryDroplet(droplet -> {
            if (droplet.appPid().isEmpty()) {
                droplet.serve(SampleRepository.V1);
            }
        });
        published.published.clear();
    }

    @Test
    void theDefaultStepsDeployV2AndNginxServesItFromEveryDroplet() throws Exception {
        onEveryDroplet(droplet -> {
            if (!droplet.get("/").map(answer -> answer.body().equals("hello from sample v1\n")).orElse(false)) {
                droplet.serve(SampleRepository.V1);
            }
        });
        List<Long> mastersBefore = lab.droplets().stream().map(droplet -> droplet.appPid().orElseThrow()).toList();

        PipelineEvent outcome = provision("v2", defaultSteps());

        assertThat(outcome).isInstanceOfSatisfying(EnvironmentProvisioned.class, provisioned -> {
            assertThat(provisioned.commit()).isEqualTo(lab.repository().commitOf(SampleRepository.V2));
            assertThat(provisioned.dropletIds()).containsExactly(31L, 32L);
        });
        for (NetnsDroplet droplet : lab.droplets()) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(droplet.get("/").orElseThrow()
                    .body()).isEqualTo("hello from sample v2\n"));
            assertThat(droplet.get("/healthz").orElseThrow().body()).isEqualTo("database: ok; version v2\n");
        }
        assertThat(lab.droplets().stream().map(droplet -> droplet.appPid().orElseThrow()).toList())
                .as("a HUP keeps gunicorn's master and replaces its workers").isEqualTo(mastersBefore);
    }

    /**
     * gunicorn answers a HUP at once, and its old workers serve until it has spawned the new ones; the default
     * self-test asks for seconds after it, by when the master has given up on workers that cannot boot.
     */
    @Test
    void aVersionThatFailsToImportFailsItsSelfTestAndLeavesNothingServing() throws Exception {
        PipelineEvent outcome = provision("broken", defaultSteps());

        assertThat(outcome).isInstanceOfSatisfying(ProvisioningFailed.class, failed -> {
            assertThat(failed.reason()).matches("Step 'self-test' failed on droplet 3[12] with exit code 22\\. 1 other "
                    + "droplet\\(s\\) of green failed too\\.");
            assertThat(failed.step()).isEqualTo("self-test");
            // 502 once the master has given up; 504 (nginx's 5 s proxy_read_timeout) while it still tries to boot
            // workers, as it may for longer than the self-test asks on a busy machine
            assertThat(failed.outputTail()).containsAnyOf("502", "504");
        });
        for (NetnsDroplet droplet : lab.droplets()) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(droplet.get("/healthz").orElseThrow().statusCode())
                        .as("gunicorn could not boot the broken version").isEqualTo(502);
                assertThat(droplet.appPid()).as("gunicorn's master gave up").isEmpty();
            });
        }
    }

    @Test
    void aStepPastItsTimeoutLeavesNoProcessBehindOnTheDroplet() throws Exception {
        PipelineEvent outcome = provision("v2", List.of(new StepSpec("slow", "sleep 30; touch late",
                Duration.ofSeconds(2), true)));

        assertThat(outcome).isInstanceOfSatisfying(ProvisioningFailed.class, failed -> assertThat(failed.reason())
                .matches("Step 'slow' on droplet 3[12] timed out after 2s\\. 1 other droplet\\(s\\) of green failed "
                        + "too\\."));
        assertNothingLeftOfTheStep();
    }

    @Test
    void aStoppedDeploymentLeavesNoProcessBehindOnTheDroplet() throws Exception {
        AtomicBoolean stopped = new AtomicBoolean();
        Thread deploying = new Thread(() -> {
            try {
                provision("v2", List.of(new StepSpec("slow", "sleep 30; touch late", Duration.ofMinutes(1), true)));
            }
            catch (InterruptedException ex) {
                stopped.set(true);
            }
        }, "deploying");
        deploying.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> lab.droplets().stream()
                .allMatch(droplet -> droplet.processes().stream().anyMatch(process -> process.contains("touch late"))));

        deploying.interrupt(); // what a cancel or an expiry does to the deployment's thread

        deploying.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(stopped).as("the deployment stopped").isTrue();
        assertNothingLeftOfTheStep();
    }

    @Test
    void aDroppedConnectionEndsTheCommandItRan() throws Exception {
        NetnsDroplet droplet = lab.droplets().get(0);
        DropletShell shell = ssh.connect(green.get(0), null);
        CompletableFuture<CommandResult> running = CompletableFuture.supplyAsync(() -> {
            try {
                return shell.run("cd /srv/" + APP + " && sleep 30; touch late", Duration.ofMinutes(1));
            }
            catch (Exception ex) {
                return null;
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> droplet.processes().stream()
                .anyMatch(process -> process.contains("touch late")));

        shell.close();

        running.get(10, TimeUnit.SECONDS);
        assertNothingLeftOfTheStep();
    }

    @Test
    void aRunOnceMigrationRunsOnOneDropletBeforeTheOthersAndOnlyThere() throws Exception {
        List<StepSpec> steps = new ArrayList<>(defaultSteps());
        steps.add(3, new StepSpec("migrate", ".venv/bin/python migrate.py", Duration.ofMinutes(1), true, true));
        int runsBefore = migrationRuns();

        PipelineEvent outcome = provision("v2", steps);

        assertThat(outcome).isInstanceOf(EnvironmentProvisioned.class);
        assertThat(migrationRuns()).as("migrations run").isEqualTo(runsBefore + 1);
        assertThat(published.of(DeploymentLog.class)).filteredOn(log -> log.step().equals("migrate"))
                .allSatisfy(log -> assertThat(log.dropletId()).isEqualTo(31L))
                .flatMap(DeploymentLog::lines).contains("migrated the database to v2");
        for (NetnsDroplet droplet : lab.droplets()) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(droplet.get("/greeting")
                    .orElseThrow().body()).isEqualTo("hello from the migrated table\n"));
        }
    }

    private static void onEveryDroplet(java.util.function.Consumer<NetnsDroplet> action) {
        CompletableFuture.allOf(lab.droplets().stream().map(droplet -> CompletableFuture.runAsync(() -> action
                .accept(droplet))).toArray(CompletableFuture[]::new)).join();
    }

    private static void assertNothingLeftOfTheStep() {
        for (NetnsDroplet droplet : lab.droplets()) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(droplet.processes())
                    .noneMatch(process -> process.contains("sleep 30")));
            assertThat(droplet.appDirectory().resolve("late")).doesNotExist();
        }
    }

    /** How often the sample app's migration has run on the database both colours share. */
    private static int migrationRuns() {
        String count = lab.droplets().get(0).exec("/usr/bin/python3 -c \"import sqlite3; db = sqlite3.connect("
                + "'/srv/data/sample.sqlite3'); db.execute('create table if not exists migration_runs (id integer "
                + "primary key, version text, ran_at real)'); print(db.execute('select count(*) from migration_runs')"
                + ".fetchone()[0])\"").output().strip();
        return Integer.parseInt(count);
    }

    /** The steps an app without {@code deploy.steps} gets: the README's default workflow. */
    private static List<StepSpec> defaultSteps() {
        return new DeploySpec(null, null, null, null, null, null, null).steps();
    }

    private static PipelineEvent provision(String ref, List<StepSpec> steps) throws InterruptedException {
        AppSpec app = new AppSpec("lb-1", lab.repository().url(), SampleRepository.BRANCH, Colour.BLUE,
                new Droplets(green, green), new DeploySpec(null, steps, null, null, null, null, null), null, null,
                null);
        return provisioner.provision(published.run("d-" + ref), new DeployRequested(APP, ref, null, "test"), app,
                Colour.GREEN);
    }
}

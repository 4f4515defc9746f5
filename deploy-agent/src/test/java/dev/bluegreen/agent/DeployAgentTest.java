package dev.bluegreen.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.sandbox.Sandbox;
import dev.bluegreen.sandbox.SandboxDroplet;
import dev.bluegreen.sandbox.SandboxSettings;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * The deploy-agent against a real Kafka broker and real SSH droplets: each test has a sandbox of its own, with an app
 * of its own name, blue serving v1 and green empty, and an agent started on it.
 */
class DeployAgentTest {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static EventLog events;

    @TempDir
    Path folder;

    private Sandbox sandbox;

    private String app;

    private final List<ConfigurableApplicationContext> agents = new ArrayList<>();

    @BeforeAll
    static void openEventLog() {
        events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.PROVISIONING, Topics.TRAFFIC,
                Topics.DEPLOYMENT_LOGS);
    }

    @AfterAll
    static void closeEventLog() {
        events.close();
    }

    @BeforeEach
    void startSandbox() {
        app = "app-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        sandbox = Sandbox.start(SandboxSettings.defaults().withAppName(app).withWorkFolder(folder.resolve("sandbox")));
    }

    @AfterEach
    void stopEverything() {
        agents.forEach(ConfigurableApplicationContext::close);
        sandbox.close();
    }

    @Test
    void provisionsTheIdleColourAndReportsTheCommit() {
        startAgent();

        String deploymentId = requestDeploy("v2");

        Envelope envelope = events.awaitEvent(EnvironmentProvisioned.class, deploymentId);
        EnvironmentProvisioned provisioned = envelope.dataAs(EnvironmentProvisioned.class);
        assertThat(envelope.source()).isEqualTo("deploy-agent");
        assertThat(envelope.subject()).isEqualTo(app);
        assertThat(provisioned.colour()).isEqualTo(Colour.GREEN);
        assertThat(provisioned.ref()).isEqualTo("v2");
        assertThat(provisioned.commit()).isEqualTo(sandbox.repository().commitOf("v2"));
        assertThat(provisioned.dropletIds()).containsExactlyElementsOf(sandbox.dropletIds(Colour.GREEN));
        assertThat(sandbox.versionsServed(Colour.GREEN)).containsOnly("v2");
        assertThat(sandbox.versionsServed(Colour.BLUE)).containsOnly("v1");
        assertThat(events.events()).filteredOn(event -> event.deploymentId().equals(deploymentId))
                .filteredOn(event -> event.topic().equals(Topics.PROVISIONING)).extracting(Envelope::type)
                .as("DeploymentStarted comes before the outcome")
                .containsExactly("DeploymentStarted", "EnvironmentProvisioned");
        List<DeploymentLog> logs = events.events().stream()
                .filter(event -> event.deploymentId().equals(deploymentId) && event.data() instanceof DeploymentLog)
                .map(event -> event.dataAs(DeploymentLog.class)).toList();
        assertThat(logs).extracting(DeploymentLog::step).as("every step of every droplet streamed its output")
                .contains("fetch", "checkout", "install", "restart", "self-test");
        assertThat(logs).extracting(DeploymentLog::dropletId).containsAll(sandbox.dropletIds(Colour.GREEN));
        assertThat(logs).filteredOn(log -> log.step().equals("self-test")).flatMap(DeploymentLog::lines)
                .anyMatch(line -> line.contains("answered 200"));
    }

    @Test
    void aDropletThatRefusesTheDeployKeyFailsTheDeploymentSayingWhoCouldNotLogIn() {
        startAgent("--bluegreen.ssh.user=intruder");

        String deploymentId = requestDeploy("v2");

        ProvisioningFailed failed = events.awaitEvent(ProvisioningFailed.class, deploymentId)
                .dataAs(ProvisioningFailed.class);
        assertThat(failed.reason()).contains("could not log in to droplet " + failed.dropletId())
                .contains("as intruder: the droplet did not accept the deploy key");
        assertThat(failed.step()).isNull();
        assertThat(sandbox.versionsServed(Colour.BLUE)).containsOnly("v1");
    }

    @Test
    void threeDropletsProvisionInParallelAndTheOneThatFailsIsNamed() throws IOException {
        sandbox.close();
        sandbox = Sandbox.start(SandboxSettings.defaults().withAppName(app).withDropletsPerColour(3)
                .withWorkFolder(folder.resolve("sandbox-of-three")));
        SandboxDroplet failing = sandbox.droplets(Colour.GREEN).get(1);
        Files.writeString(failing.server().folder().resolve("fail-here"), "");
        startAgentWith(appsFile -> appsFile.replaceFirst("(?m)^(\\s+)steps:\\n", "$1steps:\n"
                + "$1  - name: \"check\"\n"
                + "$1    timeout: 10s\n"
                + "$1    run: \"if [ -f fail-here ]; then echo 'marked to fail' >&2; exit 7; fi\"\n"));

        String deploymentId = requestDeploy("v2");

        ProvisioningFailed failed = events.awaitEvent(ProvisioningFailed.class, deploymentId)
                .dataAs(ProvisioningFailed.class);
        assertThat(failed.dropletId()).isEqualTo(failing.id());
        assertThat(failed.step()).isEqualTo("check");
        assertThat(failed.exitCode()).isEqualTo(7);
        assertThat(failed.reason()).isEqualTo("Step 'check' failed on droplet " + failing.id() + " with exit code 7.");
        assertThat(failed.outputTail()).isEqualTo("marked to fail");
        DeploymentStarted started = events.awaitEvent(DeploymentStarted.class, deploymentId)
                .dataAs(DeploymentStarted.class);
        assertThat(started.dropletIds()).hasSize(3).containsExactlyElementsOf(sandbox.dropletIds(Colour.GREEN));
        List<Long> passedCheck = events.events().stream()
                .filter(event -> event.deploymentId().equals(deploymentId) && event.data() instanceof DeploymentLog)
                .map(event -> event.dataAs(DeploymentLog.class)).filter(log -> log.step().equals("fetch"))
                .map(DeploymentLog::dropletId).distinct().toList();
        assertThat(passedCheck).as("the two healthy droplets went on with the steps")
                .containsExactlyInAnyOrderElementsOf(sandbox.dropletIds(Colour.GREEN).stream()
                        .filter(id -> id != failing.id()).toList());
        assertThat(sandbox.versionsServed(Colour.BLUE)).hasSize(3).containsOnly("v1");
    }

    @Test
    void aStepThatExitsNonZeroFailsTheDeploymentNamingTheStep() {
        startAgent();

        String deploymentId = requestDeploy("no-such-ref");

        ProvisioningFailed failed = events.awaitEvent(ProvisioningFailed.class, deploymentId)
                .dataAs(ProvisioningFailed.class);
        assertThat(failed.colour()).isEqualTo(Colour.GREEN);
        assertThat(failed.step()).isEqualTo("fetch");
        assertThat(failed.exitCode()).isNotNull().isNotZero();
        assertThat(failed.dropletId()).isIn(sandbox.dropletIds(Colour.GREEN));
        assertThat(failed.reason()).contains("Step 'fetch' failed on droplet " + failed.dropletId())
                .contains("exit code " + failed.exitCode());
        assertThat(failed.outputTail()).contains("no-such-ref");
        assertThat(sandbox.versionsServed(Colour.BLUE)).containsOnly("v1");
    }

    @Test
    void anUnknownHostKeyFailsTheDeploymentAndSaysItMayBeAnAttack() throws Exception {
        startAgent("--bluegreen.ssh.known-hosts=" + knownHostsWithOtherKeys());

        String deploymentId = requestDeploy("v2");

        ProvisioningFailed failed = events.awaitEvent(ProvisioningFailed.class, deploymentId)
                .dataAs(ProvisioningFailed.class);
        SandboxDroplet droplet = sandbox.droplet(failed.dropletId()).orElseThrow();
        assertThat(droplet.colour()).isEqualTo(Colour.GREEN);
        assertThat(failed.reason()).contains("host key of droplet " + droplet.id() + " (" + droplet.sshAddress() + ")")
                .contains("was not recognised").contains("may be an attack");
        assertThat(failed.step()).isNull();
        assertThat(failed.exitCode()).isNull();
        assertThat(sandbox.droplets(Colour.GREEN)).as("nothing ran on a green droplet")
                .allSatisfy(green -> assertThat(green.server().folder().resolve(".git")).doesNotExist());
        assertThat(sandbox.versionsServed(Colour.BLUE)).containsOnly("v1");
    }

    @Test
    void aHostileRefStaysALiteralRef() throws IOException {
        startAgent();

        String deploymentId = requestDeploy("v2; touch pwned");

        ProvisioningFailed failed = events.awaitEvent(ProvisioningFailed.class, deploymentId)
                .dataAs(ProvisioningFailed.class);
        assertThat(failed.step()).isEqualTo("fetch");
        assertThat(failed.outputTail()).contains("v2; touch pwned");
        try (Stream<Path> files = Files.walk(sandbox.workFolder())) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).doesNotContain("pwned");
        }
        assertThat(sandbox.versionsServed(Colour.BLUE)).containsOnly("v1");
    }

    @Test
    void aRefThatGitWouldTakeForAnOptionIsRefusedBeforeAnyStepRuns() {
        startAgent();

        String deploymentId = requestDeploy("--upload-pack=touch pwned");

        ProvisioningFailed failed = events.awaitEvent(ProvisioningFailed.class, deploymentId)
                .dataAs(ProvisioningFailed.class);
        assertThat(failed.reason()).contains("starts with a dash");
        assertThat(failed.step()).isNull();
        assertThat(sandbox.versionsServed(Colour.BLUE)).containsOnly("v1");
    }

    @Test
    void deploysToGreenAfterTheRouterSwitchedTrafficToBlue() {
        events.publish(Envelope.of("traffic-router", "earlier-deployment", new TrafficSwitched(app, Colour.BLUE,
                Colour.GREEN, sandbox.dropletIds(Colour.GREEN), 100)));
        startAgent();

        String whileGreenIsLive = requestDeploy("v2");
        assertThat(events.awaitEvent(EnvironmentProvisioned.class, whileGreenIsLive)
                .dataAs(EnvironmentProvisioned.class).colour()).as("the idle colour while green is live")
                .isEqualTo(Colour.BLUE);

        events.publish(Envelope.of("traffic-router", whileGreenIsLive, new TrafficSwitched(app, Colour.GREEN,
                Colour.BLUE, sandbox.dropletIds(Colour.BLUE), 100)));
        String afterTheSwitch = requestDeploy("v1");

        EnvironmentProvisioned provisioned = events.awaitEvent(EnvironmentProvisioned.class, afterTheSwitch)
                .dataAs(EnvironmentProvisioned.class);
        assertThat(provisioned.colour()).isEqualTo(Colour.GREEN);
        assertThat(sandbox.versionsServed(Colour.GREEN)).containsOnly("v1");
        assertThat(sandbox.versionsServed(Colour.BLUE)).containsOnly("v2");
    }

    @Test
    void unreadableAndEmptyDeployRequestsAreSkippedAndTheNextOneIsServed() {
        startAgent();

        events.publishRaw(Topics.DEPLOY_REQUESTS, app, "{ not an envelope".getBytes());
        events.publishRaw(Topics.DEPLOY_REQUESTS, app, null);
        String deploymentId = requestDeploy("v2");

        assertThat(events.awaitEvent(EnvironmentProvisioned.class, deploymentId).dataAs(EnvironmentProvisioned.class)
                .colour()).isEqualTo(Colour.GREEN);
    }

    @Test
    void aRedeliveredDeployRequestIsDeployedOnce() {
        startAgent();
        String deploymentId = UUID.randomUUID().toString();
        Envelope request = Envelope.of("test", deploymentId, new DeployRequested(app, "v2", null, "a test"));
        events.publish(request);
        events.awaitEvent(EnvironmentProvisioned.class, deploymentId);

        events.publish(request);
        String next = requestDeploy("no-such-ref");

        events.awaitEvent(ProvisioningFailed.class, next); // the app's requests are handled in order
        assertThat(events.events()).filteredOn(envelope -> envelope.deploymentId().equals(deploymentId))
                .filteredOn(envelope -> envelope.topic().equals(Topics.PROVISIONING))
                .extracting(Envelope::type).containsExactly("DeploymentStarted", "EnvironmentProvisioned");
    }

    @Test
    void aSecondDeployOfAnAppWhileOneRunsIsRefusedSayingWhy() {
        startAgent();

        String first = requestDeploy("v2");
        String second = requestDeploy("v2");

        assertThat(events.awaitEvent(ProvisioningFailed.class, second).dataAs(ProvisioningFailed.class).reason())
                .isEqualTo("Deployment " + first + " of " + app + " is still running; this one was not started. "
                        + "Request it again when that one has finished.");
        assertThat(events.awaitEvent(EnvironmentProvisioned.class, first).dataAs(EnvironmentProvisioned.class)
                .colour()).isEqualTo(Colour.GREEN);
    }

    @Test
    void aDeployWhileTheLastOneIsStillOnItsWayToTrafficIsRefusedUntilTheRouterDecides() {
        startAgent();
        String first = requestDeploy("v2");
        events.awaitEvent(EnvironmentProvisioned.class, first);

        String meanwhile = requestDeploy("v1");

        assertThat(events.awaitEvent(ProvisioningFailed.class, meanwhile).dataAs(ProvisioningFailed.class).reason())
                .startsWith("Deployment " + first + " of " + app + " was provisioned and is still on its way to "
                        + "traffic");
        assertThat(sandbox.versionsServed(Colour.GREEN)).containsOnly("v2");

        events.publish(Envelope.of("traffic-router", first, new TrafficSwitched(app, Colour.BLUE, Colour.GREEN,
                sandbox.dropletIds(Colour.GREEN), 100)));
        String afterTheSwitch = requestDeploy("v1");

        assertThat(events.awaitEvent(EnvironmentProvisioned.class, afterTheSwitch).dataAs(EnvironmentProvisioned.class)
                .colour()).isEqualTo(Colour.BLUE);
    }

    @Test
    void aDeployOfAnUnknownAppFailsSayingSo() {
        startAgent();
        String deploymentId = UUID.randomUUID().toString();

        events.publish(Envelope.of("test", deploymentId, new DeployRequested(app + "-typo", "v2", null, "a test")));

        ProvisioningFailed failed = events.awaitEvent(ProvisioningFailed.class, deploymentId)
                .dataAs(ProvisioningFailed.class);
        assertThat(failed.reason()).isEqualTo("There is no app named " + app + "-typo in the apps file of the "
                + "deploy-agent.");
        assertThat(failed.colour()).isNull();
    }

    /**
     * Starts an agent as the local stack does. {@code properties(...)} rank below deploy-agent.yml and the apps file,
     * so they name the variables deploy-agent.yml reads; a setting of the apps file is overridden by an argument.
     */
    private void startAgent(String... arguments) {
        startAgentWith(UnaryOperator.identity(), arguments);
    }

    /** Starts an agent on the sandbox's apps file, changed by {@code edit}. */
    private void startAgentWith(UnaryOperator<String> edit, String... arguments) {
        Path appsFile = sandbox.writeAppsFile(folder.resolve("bluegreen.yml"));
        try {
            Files.writeString(appsFile, edit.apply(Files.readString(appsFile)));
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        agents.add(DeployAgentApplication.application()
                .properties("bluegreen.config=" + appsFile, "KAFKA_BOOTSTRAP_SERVERS=" + KafkaFixture.bootstrapServers(),
                        "DEPLOY_AGENT_PORT=0", "spring.main.banner-mode=off")
                .run(arguments));
    }

    private String requestDeploy(String ref) {
        String deploymentId = UUID.randomUUID().toString();
        events.publish(Envelope.of("test", deploymentId, new DeployRequested(app, ref, null, "a test")));
        return deploymentId;
    }

    /** A known_hosts file that lists every droplet's address with a key that is not the droplet's. */
    private Path knownHostsWithOtherKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        String otherKey = PublicKeyEntry.toString(generator.generateKeyPair().getPublic());
        List<String> lines = sandbox.droplets().stream()
                .map(droplet -> "[" + droplet.server().sshHost() + "]:" + droplet.server().sshPort() + " " + otherKey)
                .toList();
        return Files.write(folder.resolve("other_known_hosts"), lines);
    }
}

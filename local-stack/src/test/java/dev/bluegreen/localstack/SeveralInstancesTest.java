package dev.bluegreen.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeploymentExpired;
import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.RequestRefused;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.sandbox.Sandbox;
import dev.bluegreen.sandbox.SandboxSettings;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.TopicRecords;
import dev.bluegreen.testing.KafkaFixture;

/**
 * The pipeline as it runs in production: two instances of every service, each a JVM of its own, on a three-broker
 * KRaft cluster, against the sandbox's DigitalOcean, with real load through the balancer. The cases of issue 10, in
 * order, on one system: a deploy right after a rollback, instances killed mid-deployment, a colour that fails its bake,
 * and the lifecycle history deleted. The sandbox records every SSH command and what the balancer served, and is the
 * judge at the end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeveralInstancesTest {

    private static final Duration OUTCOME = Duration.ofMinutes(2);
    private static final String GATEWAY_TOKEN = "several-instances-token";

    /**
     * This run's app names and stream ids: other tests share the JVM's cluster and its lifecycle topic, and their
     * history of an app of the same name would be this pipeline's history too.
     */
    private static final String RUN = "several-" + java.util.UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    static Path work;

    private static String bootstrapServers;
    private static Sandbox sandbox;
    private static PipelineProcesses pipeline;
    private static EventLog events;
    private static GatewayClient gateway;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startTwoInstancesOfEveryService() throws Exception {
        Wrk.requireInstalled();
        bootstrapServers = KafkaFixture.cluster().bootstrapServers();
        sandbox = Sandbox.start(SandboxSettings.defaults().withWorkFolder(work.resolve("sandbox")).withAppName(RUN)
                .withBusyWindow(LocalStack.BUSY_WINDOW));
        Path appsFile = sandbox.writeAppsFile(work.resolve("bluegreen.yml"));
        events = EventLog.open(bootstrapServers, Topics.EVENTS.toArray(String[]::new));
        pipeline = PipelineProcesses.start(2, work, bootstrapServers, appsFile, sandbox.apiUrl().toString(),
                sandbox.apiToken(), GATEWAY_TOKEN, List.of("--bluegreen.lifecycle.session-timeout=6s",
                        "--bluegreen.lifecycle.replication=3", "--bluegreen.kafka.topics.replication=3"), RUN);
        gateway = new GatewayClient(pipeline.gatewayUrl(), GATEWAY_TOKEN);
    }

    @AfterAll
    static void stopEverything() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (events != null) {
            events.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    @Order(1)
    void aDeployRightAfterARollbackIsRefusedAndNoRequestThroughTheBalancerFails() throws Exception {
        Wrk load = Wrk.start(sandbox.loadBalancerUrl(), 8, Duration.ofMinutes(3));
        String first = deploy("v2");
        events.awaitEvent(TrafficSwitched.class, first, OUTCOME);

        String rollback = gateway.rollback(app(), "test", "v2 is slow");
        String racing = deploy("v1");

        events.awaitEvent(RolledBack.class, rollback, OUTCOME);
        RequestRefused refused = events.awaitEvent(RequestRefused.class, racing, OUTCOME).dataAs(RequestRefused.class);
        assertThat(refused.reason()).contains(rollback);
        assertThat(events.events()).noneMatch(event -> event.deploymentId().equals(racing)
                && event.data() instanceof DeploymentStarted);
        Wrk.Result result = load.stop();
        assertThat(result.requests()).as(result.output()).isPositive();
        assertThat(result.failed()).as(result.output()).isZero();
        assertThat(versionsServed()).containsOnly("v1");
    }

    @Test
    @Order(2)
    void killingTheHealthMonitorThatChecksAColourEndsTheDeploymentAndTheNextDeployWorks() throws Exception {
        String broken = deploy("broken");
        events.awaitEvent(EnvironmentProvisioned.class, broken, OUTCOME);
        ServiceInstance checking = await().atMost(Duration.ofSeconds(30))
                .until(() -> pipeline.owner(PipelineProcesses.HEALTH_MONITOR, app()), owner -> owner.isPresent())
                .orElseThrow();

        checking.kill();

        Envelope ended = awaitAny(broken, EnvironmentUnhealthy.class, DeploymentExpired.class);
        assertThat(ended.source()).isEqualTo(PipelineProcesses.HEALTH_MONITOR);
        checking.restart().awaitReady(OUTCOME);
        String next = deploy("v2");
        events.awaitEvent(TrafficSwitched.class, next, OUTCOME);
        assertThat(versionsServed()).containsOnly("v2");
    }

    @Test
    @Order(3)
    void killingTheTrafficRouterTheMomentAColourIsHealthyStillEndsTheSwitch() throws Exception {
        String deployment = deploy("v1");
        events.awaitEvent(EnvironmentHealthy.class, deployment, OUTCOME);
        ServiceInstance router = pipeline.owner(PipelineProcesses.TRAFFIC_ROUTER, app()).orElseThrow();

        router.kill();

        Envelope ended = awaitAny(deployment, TrafficSwitched.class, SwitchFailed.class);
        assertThat(ended.data()).isInstanceOf(TrafficSwitched.class);
        router.restart().awaitReady(OUTCOME);
        assertThat(versionsServed()).containsOnly("v1");
        String next = deploy("v2");
        events.awaitEvent(TrafficSwitched.class, next, OUTCOME);
    }

    @Test
    @Order(4)
    void aLiveColourThatFailsDuringItsBakeIsRolledBackOnItsOwnAndTheHistorySaysSo() throws Exception {
        String deployment = deploy("v1");
        Colour live = events.awaitEvent(TrafficSwitched.class, deployment, OUTCOME).dataAs(TrafficSwitched.class).to();

        crashAppOf(sandbox.droplets(live).get(0).id());

        Envelope asked = events.awaitEvent(RollbackRequested.class,
                event -> deployment.equals(event.dataAs(RollbackRequested.class).revertsDeployment()), OUTCOME);
        assertThat(asked.deploymentId()).isNotEqualTo(deployment);
        RolledBack rolledBack = events.awaitEvent(RolledBack.class, asked.deploymentId(), OUTCOME)
                .dataAs(RolledBack.class);
        assertThat(rolledBack.to()).isEqualTo(live.other());
        assertThat(versionsServed()).containsOnly("v2");
        String history = get(pipeline.gatewayUrl() + "/api/apps/" + app() + "/deployments");
        assertThat(history).contains(asked.deploymentId(), deployment);
    }

    @Test
    @Order(5)
    void withTheLifecycleHistoryDeletedAndEverythingRestartedNoDeployLandsOnTheLiveColour() throws Exception {
        Colour live = liveColour();
        deleteEveryLifecycleRecord();
        pipeline.all().forEach(ServiceInstance::kill);
        pipeline.all().forEach(ServiceInstance::restart);
        pipeline.all().forEach(instance -> instance.awaitReady(OUTCOME));
        gateway = new GatewayClient(pipeline.gatewayUrl(), GATEWAY_TOKEN);

        String deployment = deploy("v1");

        DeploymentStarted started = events.awaitEvent(DeploymentStarted.class, deployment, OUTCOME)
                .dataAs(DeploymentStarted.class);
        assertThat(started.colour()).isEqualTo(live.other());
        events.awaitEvent(TrafficSwitched.class, deployment, OUTCOME);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void noDeployStepRanOnADropletTheBalancerServedFromAndTheBalancerAlwaysHadAHealthyDroplet() {
        assertThat(sandbox.history().commandsWhileServing()).isEmpty();
        assertThat(sandbox.history().timesWithoutHealthyDroplet(sandbox.trafficEntryPointId())).isEmpty();
    }

    private static String app() {
        return sandbox.appName();
    }

    private static String deploy(String ref) throws Exception {
        return gateway.deploy(app(), ref, "test");
    }

    @SafeVarargs
    private static Envelope awaitAny(String deploymentId, Class<?>... types) {
        return await().atMost(OUTCOME).until(() -> events.events().stream()
                .filter(event -> event.deploymentId().equals(deploymentId))
                .filter(event -> java.util.Arrays.stream(types).anyMatch(type -> type.isInstance(event.data())))
                .findFirst(), found -> found.isPresent()).orElseThrow();
    }

    /** The colour whose droplets serve, as the balancer's answers show it. */
    private static Colour liveColour() {
        Set<String> served = versionsServed();
        for (Colour colour : Colour.values()) {
            if (Set.copyOf(sandbox.versionsServed(colour)).equals(served)) {
                return colour;
            }
        }
        throw new AssertionError("Neither colour alone serves " + served);
    }

    /** The versions several answers of the balancer name, once they all succeed. */
    private static Set<String> versionsServed() {
        return await().atMost(OUTCOME).until(() -> {
            List<String> versions = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        URI.create(sandbox.loadBalancerUrl() + "/")).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    return null;
                }
                versions.add(answer.body().contains("v2") ? "v2" : answer.body().contains("v1") ? "v1" : "other");
            }
            return Set.copyOf(versions);
        }, versions -> versions != null);
    }

    private static void crashAppOf(long dropletId) {
        long pid = sandbox.droplet(dropletId).orElseThrow().server().appPid().orElseThrow();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    private static String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + GATEWAY_TOKEN)
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void deleteEveryLifecycleRecord() throws Exception {
        TopicRecords.deleteAll(bootstrapServers, Topics.LIFECYCLE);
    }
}

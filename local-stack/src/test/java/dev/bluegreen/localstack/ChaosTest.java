package dev.bluegreen.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.kafka.KraftCluster;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.sandbox.Sandbox;
import dev.bluegreen.sandbox.SandboxApp;
import dev.bluegreen.sandbox.SandboxSettings;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * Five apps, thirty random operations (deploy, deploy a broken version, roll back, promote, cancel) at random moments,
 * while service instances are killed with {@code kill -9} and one broker is restarted, under load on every app's
 * balancer. The sandbox's history is the judge: no deploy step on a droplet the balancer served from, never a balancer
 * without a healthy droplet, no failed request; and the test's own fold of the lifecycle topic says every deployment
 * ended and no app is blocked. The seed is printed, and {@code -Dchaos.seed=N} runs the same operations again.
 */
class ChaosTest {

    private static final Logger log = LoggerFactory.getLogger(ChaosTest.class);

    private static final int APPS = 5;
    private static final int OPERATIONS = 30;
    private static final Duration SETTLE = Duration.ofMinutes(4);
    private static final String GATEWAY_TOKEN = "chaos-token";

    /**
     * This run's app names and stream ids: other tests share the JVM's cluster and its lifecycle topic, and their
     * history of an app of the same name would be this pipeline's history too.
     */
    private static final String RUN = "chaos-" + java.util.UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    static Path work;

    private static KraftCluster kafka;
    private static Sandbox sandbox;
    private static PipelineProcesses pipeline;
    private static EventLog events;
    private static final List<Wrk> load = new ArrayList<>();

    @BeforeAll
    static void startFiveAppsAndTwoInstancesOfEveryService() throws Exception {
        Wrk.requireInstalled();
        kafka = KafkaFixture.cluster();
        sandbox = Sandbox.start(SandboxSettings.defaults().withWorkFolder(work.resolve("sandbox")).withAppName(RUN).withApps(APPS)
                .withDropletsPerColour(1).withBusyWindow(LocalStack.BUSY_WINDOW));
        Path appsFile = sandbox.writeAppsFile(work.resolve("bluegreen.yml"));
        requireApproval(appsFile, sandbox.apps().get(APPS - 1).name());
        events = EventLog.open(kafka.bootstrapServers(), Topics.LIFECYCLE);
        Path logs = Files.createDirectories(Path.of("target", "chaos-logs"));
        pipeline = PipelineProcesses.start(2, logs, kafka.bootstrapServers(), appsFile, sandbox.apiUrl().toString(),
                sandbox.apiToken(), GATEWAY_TOKEN, List.of("--bluegreen.lifecycle.session-timeout=6s",
                        "--bluegreen.lifecycle.expiry-grace=10s", "--bluegreen.lifecycle.replication=3",
                        "--bluegreen.kafka.topics.replication=3"), RUN);
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
    void randomOperationsWithKilledInstancesAndARestartedBrokerNeverTouchTrafficAndLeaveNoAppBlocked()
            throws Exception {
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        log.info("Chaos seed {} (rerun with -Dchaos.seed={}).", seed, seed);
        Random random = new Random(seed);
        for (SandboxApp app : sandbox.apps()) {
            load.add(Wrk.start(app.loadBalancerUrl(), 2, Duration.ofMinutes(15)));
        }
        List<String> done = new CopyOnWriteArrayList<>();
        Map<String, String> lastDeployment = new HashMap<>();
        List<CompletableFuture<Void>> restarts = new ArrayList<>();
        int brokerRestartAt = 1 + random.nextInt(OPERATIONS - 2);
        int stoppedNode = 0;

        for (int step = 0; step < OPERATIONS; step++) {
            String app = sandbox.apps().get(random.nextInt(APPS)).name();
            done.add(operate(random, app, lastDeployment));
            if (random.nextInt(3) == 0) {
                restarts.add(killOne(random, done));
            }
            if (step == brokerRestartAt) {
                stoppedNode = 1 + random.nextInt(kafka.size());
                done.add("stopped broker " + stoppedNode);
                kafka.stopNode(stoppedNode);
            }
            if (stoppedNode != 0 && step == brokerRestartAt + 3) {
                kafka.startNode(stoppedNode);
                done.add("started broker " + stoppedNode);
                stoppedNode = 0;
            }
            pause(random, 300, 3000);
        }
        if (stoppedNode != 0) {
            kafka.startNode(stoppedNode);
        }
        CompletableFuture.allOf(restarts.toArray(CompletableFuture[]::new)).join();
        log.info("Chaos operations: {}", done);

        await("every app idle").atMost(SETTLE).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(states().values()).as(String.join("; ", done))
                        .allSatisfy(state -> assertThat(state.current()).as(state.app()).isNull()));
        Map<String, String> finalDeployments = new LinkedHashMap<>();
        for (SandboxApp app : sandbox.apps()) {
            finalDeployments.put(app.name(), deployAny(app.name(), "v2"));
        }
        for (Map.Entry<String, String> last : finalDeployments.entrySet()) {
            String id = last.getValue();
            await("the last deployment of " + last.getKey()).atMost(SETTLE).until(() -> {
                AppState state = states().get(last.getKey());
                if (state.current() != null && state.current().id().equals(id)
                        && state.current().phase() == dev.bluegreen.events.Phase.AWAITING_APPROVAL) {
                    gateway().promote(last.getKey(), id, "chaos");
                }
                return state.last() != null && state.last().id().equals(id);
            });
            assertThat(states().get(last.getKey()).last().result()).as(last.getKey())
                    .isEqualTo(dev.bluegreen.lifecycle.Outcome.Result.SUCCEEDED);
        }

        List<Wrk.Result> results = new ArrayList<>();
        for (Wrk wrk : load) {
            results.add(wrk.stop());
        }
        assertThat(sandbox.history().commandsWhileServing()).as(String.join("; ", done)).isEmpty();
        for (SandboxApp app : sandbox.apps()) {
            Map<String, Long> failed = sandbox.history().failedRequests(app.trafficEntryPointId()).stream()
                    .collect(Collectors.groupingBy(request -> "status " + request.status()
                            + (request.dropletId() == null ? " from the balancer" : " from droplet " + request.dropletId())
                            + " in the second of " + request.at().wall().truncatedTo(ChronoUnit.SECONDS),
                            TreeMap::new, Collectors.counting()));
            assertThat(failed).as("requests %s's balancer failed, counted by status, droplet and second", app.name())
                    .isEmpty();
            assertThat(sandbox.history().timesWithoutHealthyDroplet(app.trafficEntryPointId())).as(app.name())
                    .isEmpty();
        }
        assertThat(results).allSatisfy(result -> {
            assertThat(result.requests()).as(result.output()).isPositive();
            assertThat(result.failed()).as(result.output()).isZero();
        });
        assertThat(events.events().stream().map(Envelope::data).filter(TrafficSwitched.class::isInstance))
                .as("traffic moved at all").isNotEmpty();
    }

    /** One operation of a person or CI on the app, as the gateway takes it; what it was, in words. */
    private static String operate(Random random, String app, Map<String, String> lastDeployment) {
        int pick = random.nextInt(10);
        try {
            if (pick < 4) {
                String id = deployAny(app, random.nextBoolean() ? "v1" : "v2");
                lastDeployment.put(app, id);
                return "deploy " + app + " " + id;
            }
            if (pick < 5) {
                String id = deployAny(app, "broken");
                lastDeployment.put(app, id);
                return "deploy broken " + app + " " + id;
            }
            if (pick < 7) {
                return "rollback " + app + " " + gateway().rollback(app, "chaos", "chaos");
            }
            String last = lastDeployment.get(app);
            if (last == null) {
                return "nothing for " + app;
            }
            if (pick < 9) {
                return "promote " + app + " " + last + ": " + gateway().promote(app, last, "chaos");
            }
            return "cancel " + app + " " + last + ": " + gateway().cancel(app, last, "chaos");
        }
        catch (IOException ex) {
            return "refused at the gateway for " + app + ": " + ex.getMessage();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Asks any gateway that runs; one that was just killed, or a broker that is just down, is asked again. */
    private static String deployAny(String app, String ref) throws IOException, InterruptedException {
        IOException last = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return gateway().deploy(app, ref, "chaos");
            }
            catch (IOException ex) {
                last = ex;
                pause(1000);
            }
        }
        throw new IOException("No gateway took the deploy of " + ref + " to " + app + " within 90 s", last);
    }

    /** Kills one instance of a random service with kill -9, unless it is the last one alive; restarts it later. */
    private static CompletableFuture<Void> killOne(Random random, List<String> done) {
        List<String> services = List.of(PipelineProcesses.DEPLOY_AGENT, PipelineProcesses.HEALTH_MONITOR,
                PipelineProcesses.TRAFFIC_ROUTER, PipelineProcesses.GATEWAY);
        List<ServiceInstance> instances = pipeline.instances(services.get(random.nextInt(services.size())));
        ServiceInstance victim = instances.get(random.nextInt(instances.size()));
        // never the last ready instance of a service: a whole service down is an outage, not a fault to survive
        if (!victim.alive() || instances.stream().filter(ServiceInstance::ready).count() < 2) {
            return CompletableFuture.completedFuture(null);
        }
        victim.kill();
        done.add("killed " + victim.name());
        long downFor = 3000 + random.nextInt(12000);
        return CompletableFuture.runAsync(() -> {
            pause(downFor);
            victim.restart().awaitReady(Duration.ofMinutes(3));
        });
    }

    private static GatewayClient gateway() {
        return new GatewayClient(pipeline.gatewayUrl(), GATEWAY_TOKEN);
    }

    /** Each app's state, folded by the test from the lifecycle topic with the services' own state machine. */
    private static Map<String, AppState> states() {
        Map<String, AppState> states = new LinkedHashMap<>();
        sandbox.apps().forEach(app -> states.put(app.name(), AppState.initial(app.name(), Colour.BLUE)));
        Set<String> seen = new LinkedHashSet<>();
        for (Envelope event : events.events()) {
            AppState state = states.get(event.subject());
            if (state != null && seen.add(event.id())) {
                states.put(event.subject(), state.apply(event).after());
            }
        }
        return states;
    }

    private static void requireApproval(Path appsFile, String app) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean inApp = false;
        for (String line : Files.readAllLines(appsFile)) {
            lines.add(line);
            if (line.matches("^    \\S.*:\\s*$")) {
                inApp = line.trim().equals(app + ":");
            }
            if (inApp && line.trim().equals("routing:")) {
                String indent = line.substring(0, line.indexOf("routing:")) + "  ";
                lines.add(indent + "approval-required: true");
                lines.add(indent + "approval-timeout: 30s");
            }
        }
        Files.write(appsFile, lines);
    }

    private static void pause(Random random, int fromMillis, int toMillis) {
        pause(fromMillis + random.nextInt(toMillis - fromMillis));
    }

    /** Paces the operations like people and CI do; the test waits for no condition with it. */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}

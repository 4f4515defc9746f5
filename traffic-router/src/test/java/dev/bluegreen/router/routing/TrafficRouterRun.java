package dev.bluegreen.router.routing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DropletHealth;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.Topics;
import dev.bluegreen.router.TrafficRouterApplication;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanApiServer;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.RecordingProxy;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * The traffic-router as it runs, started the way the local stack starts it, talking through a {@link RecordingProxy}
 * to a simulated DigitalOcean, with an {@link EventLog} of the lifecycle topic. The test stands in for the other
 * services: it publishes the requests and outcomes that bring an app to the router's turn. Each run folds the
 * lifecycle as a Kafka Streams application of its own (restarts keep it), so runs of other test classes on the same
 * broker do not share its state.
 */
final class TrafficRouterRun implements AutoCloseable {

    /** The token the simulated DigitalOcean accepts. */
    static final String API_TOKEN = "dop_v1_" + UUID.randomUUID().toString().replace("-", "");

    private final DigitalOceanApiServer api;
    private final RecordingProxy proxy;
    private final EventLog events;
    private final Path appsFile;
    private List<String> settings = List.of();
    private final String routerToken;
    private @Nullable ConfigurableApplicationContext router;
    private final @Nullable HealthChecks healthChecks;
    private final String applicationId = "traffic-router-test-" + UUID.randomUUID();

    private TrafficRouterRun(DigitalOceanSimulator simulator, String routerToken, List<String> settings,
            TestApp... apps) {
        this(simulator, routerToken, settings, true, true, apps);
    }

    private TrafficRouterRun(DigitalOceanSimulator simulator, String routerToken, List<String> settings,
            boolean startRouter, boolean standInHealthChecks, TestApp... apps) {
        this.routerToken = routerToken;
        healthChecks = standInHealthChecks ? new HealthChecks(simulator) : null;
        api = DigitalOceanApiServer.start(simulator, API_TOKEN, 0);
        proxy = new RecordingProxy(api.baseUrl(), simulator);
        appsFile = appsFile(apps);
        this.settings = settings;
        router = startRouter ? startRouter(settings) : null;
        events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);
    }

    static TrafficRouterRun start(DigitalOceanSimulator simulator, String routerToken, TestApp... apps) {
        return new TrafficRouterRun(simulator, routerToken, List.of(), apps);
    }

    /** With more router settings, such as {@code --bluegreen.digitalocean.retry.first-backoff=100ms}. */
    static TrafficRouterRun start(DigitalOceanSimulator simulator, List<String> settings, TestApp... apps) {
        return new TrafficRouterRun(simulator, API_TOKEN, settings, apps);
    }

    /** Everything but the router, which the test starts itself, in this JVM or as a process of its own. */
    static TrafficRouterRun withoutRouter(DigitalOceanSimulator simulator, List<String> settings, TestApp... apps) {
        return new TrafficRouterRun(simulator, API_TOKEN, settings, false, true, apps);
    }

    /**
     * The router, with no stand-in for the balancers' health checks: the test runs the sandbox's balancers
     * ({@code LoadBalancerProxy}), whose own checkers probe the droplets.
     */
    static TrafficRouterRun behindRealBalancers(DigitalOceanSimulator simulator, TestApp... apps) {
        return new TrafficRouterRun(simulator, API_TOKEN, List.of(), true, false, apps);
    }

    /** Starts the router as a JVM of its own, on this test's class path, its output going to {@code log}. */
    Process startRouterProcess(Path log, String... moreSettings) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), TrafficRouterApplication.class.getName()));
        command.addAll(arguments(settings));
        command.addAll(List.of(moreSettings));
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The router's command line: the only settings that outrank the service's own config file. */
    List<String> arguments(List<String> settings) {
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + KafkaFixture.bootstrapServers(),
                "--bluegreen.config=" + appsFile,
                "--bluegreen.digitalocean.api-url=" + proxy.url(),
                "--bluegreen.digitalocean.token=" + routerToken(),
                "--bluegreen.lifecycle.application-id=" + applicationId,
                "--server.port=0"));
        arguments.addAll(settings);
        return arguments;
    }

    private ConfigurableApplicationContext startRouter(List<String> settings) {
        this.settings = settings;
        return TrafficRouterApplication.application().run(arguments(settings).toArray(String[]::new));
    }

    /** Stops the router and starts a new one in this JVM, which takes the apps over where the first one left them. */
    void restartRouter() {
        stopRouter();
        startRouterAgain();
    }

    void stopRouter() {
        if (router != null) {
            router.close();
            router = null;
        }
    }

    void startRouterAgain() {
        router = startRouter(settings);
    }

    /** Publishes the envelope as it is: the same id again is a redelivery. */
    void publish(Envelope envelope) {
        events.publish(envelope);
    }

    HealthChecks healthChecks() {
        HealthChecks checks = healthChecks;
        if (checks == null) {
            throw new IllegalStateException("This run has real balancers: their own checkers probe the droplets");
        }
        return checks;
    }

    RecordingProxy proxy() {
        return proxy;
    }

    private String routerToken() {
        return routerToken;
    }

    /** Publishes the event in a new deployment, and returns its id. */
    String publish(PipelineEvent event) {
        String deploymentId = event.app() + "-" + UUID.randomUUID();
        events.publish(Envelope.of("test", deploymentId, event));
        return deploymentId;
    }

    /**
     * Brings a new deployment of the app to the router's turn, as the gateway, the deploy-agent and the
     * health-monitor would: DeployRequested, EnvironmentProvisioned of {@code idle} and EnvironmentHealthy. Returns
     * its id.
     */
    String deployUntilHealthy(TestApp app, Colour idle) {
        return deployUntilHealthy(app, idle, "main");
    }

    /** The same, of a ref such as {@code v2}. */
    String deployUntilHealthy(TestApp app, Colour idle, String ref) {
        String deploymentId = app.name() + "-" + UUID.randomUUID();
        events.publish(Envelope.of("gateway", deploymentId, new DeployRequested(app.name(), ref, null, "alice")));
        events.publish(Envelope.of("deploy-agent", deploymentId, new EnvironmentProvisioned(app.name(), idle, ref,
                "0a1b2c3", app.droplets(idle), 900)));
        events.publish(Envelope.of("health-monitor", deploymentId, healthy(app, idle, ref)));
        return deploymentId;
    }

    /** Asks for a rollback of the app in a rollback of its own, and returns its id. */
    String rollback(TestApp app, String reason) {
        return publish(new RollbackRequested(app.name(), "alice", reason));
    }

    static EnvironmentHealthy healthy(TestApp app, Colour colour) {
        return healthy(app, colour, "main");
    }

    private static EnvironmentHealthy healthy(TestApp app, Colour colour, String ref) {
        return new EnvironmentHealthy(app.name(), colour, ref, "0a1b2c3", app.droplets(colour).stream()
                .map(id -> new DropletHealth(id, true, 3, "200 in 5 ms")).toList(), 900);
    }

    /** The traffic-router's answer in the deployment (or rollback). */
    Envelope awaitAnswer(Class<? extends PipelineEvent> eventClass, String deploymentId) {
        return events.awaitEvent(eventClass, deploymentId);
    }

    /** What the router published in the deployment (or rollback) so far, in order. */
    List<PipelineEvent> answers(String deploymentId) {
        return events.events().stream()
                .filter(event -> event.deploymentId().equals(deploymentId) && event.source().equals("traffic-router"))
                .map(Envelope::data)
                .toList();
    }

    EventLog events() {
        return events;
    }

    private static Path appsFile(TestApp... apps) {
        try {
            Path file = Files.createTempFile("traffic-router-apps", ".yml");
            file.toFile().deleteOnExit();
            Files.writeString(file, "bluegreen:\n  apps:\n"
                    + Arrays.stream(apps).map(TestApp::yaml).collect(Collectors.joining()));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        events.close();
        stopRouter();
        proxy.close();
        api.close();
        HealthChecks checks = healthChecks;
        if (checks != null) {
            checks.close();
        }
    }
}

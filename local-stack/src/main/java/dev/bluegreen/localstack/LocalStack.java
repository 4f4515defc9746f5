package dev.bluegreen.localstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.bluegreen.agent.DeployAgentApplication;
import dev.bluegreen.gateway.GatewayApplication;
import dev.bluegreen.kafka.KraftBroker;
import dev.bluegreen.monitor.HealthMonitorApplication;
import dev.bluegreen.router.TrafficRouterApplication;
import dev.bluegreen.sandbox.Sandbox;

/**
 * The whole system in one process: a Kafka broker (unless one is given), the DigitalOcean sandbox, and the four
 * services, each in its own Spring context, wired to each other through Kafka only.
 */
final class LocalStack implements AutoCloseable {

    /**
     * How long the sandbox's load balancer refuses changes after each one, as DigitalOcean's does: short, but long
     * enough that the traffic-router's retries are exercised on every switch.
     */
    static final java.time.Duration BUSY_WINDOW = java.time.Duration.ofMillis(300);

    /** The gateway's CI token on this local stack only: a well-known value, never one for a real gateway. */
    static final String GATEWAY_TOKEN = "local-stack-token";

    private final List<AutoCloseable> started = new ArrayList<>();
    private String bootstrapServers;
    private Sandbox sandbox;
    private Path appsFile;
    private String gatewayUrl;

    private LocalStack() {
    }

    static LocalStack start(LocalStackSettings settings, Consumer<String> progress) throws Exception {
        LocalStack stack = new LocalStack();
        try {
            stack.startAll(settings, progress);
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(LocalStackSettings settings, Consumer<String> progress) throws Exception {
        // The broker and the sandbox need nothing of each other: the broker starts on a thread of its own meanwhile,
        // which takes its start-up (about 5 s) off the stack's.
        bootstrapServers = settings.kafkaBootstrapServers();
        CompletableFuture<KraftBroker> broker = null;
        if (bootstrapServers == null) {
            progress.accept("Starting a Kafka broker (KRaft) on port " + settings.ports().kafka() + " ...");
            broker = CompletableFuture.supplyAsync(
                    () -> KraftBroker.start(settings.workDirectory().resolve("kafka"), settings.ports().kafka()),
                    runnable -> new Thread(runnable, "local-stack-broker-start").start());
        }
        progress.accept("Starting the DigitalOcean sandbox: API, load balancer, droplets over SSH ...");
        try {
            sandbox = Sandbox.startBeforeBlueServes(settings.sandboxSettings());
            started.add(sandbox);
        } catch (RuntimeException | Error e) {
            if (broker != null) {
                broker.thenAccept(KraftBroker::close); // once it has started, if it does
            }
            throw e;
        }
        // Blue's bootstrap and the balancer's health checks (about 3 s) need nothing of the services, nor they of a
        // serving blue: the sandbox gets blue serving on a thread of its own while the services start.
        CompletableFuture<Void> blueServes = CompletableFuture.runAsync(sandbox::serveBlue,
                runnable -> new Thread(runnable, "local-stack-sandbox-blue").start());
        if (broker != null) {
            KraftBroker running = joined(broker);
            started.add(running);
            bootstrapServers = running.bootstrapServers();
        }
        appsFile = sandbox.writeAppsFile(settings.workDirectory().resolve("bluegreen.yml"));

        LocalStackSettings.Ports ports = settings.ports();
        progress.accept("Starting deploy-agent, health-monitor, traffic-router and gateway ...");
        start(DeployAgentApplication.application(), ports.deployAgent());
        start(HealthMonitorApplication.application(), ports.healthMonitor());
        start(TrafficRouterApplication.application(), ports.trafficRouter(),
                "--bluegreen.digitalocean.token=" + sandbox.apiToken(),
                "--bluegreen.digitalocean.api-url=" + settings.digitalOceanApi().apply(sandbox.apiUrl()));
        ConfigurableApplicationContext gateway = start(GatewayApplication.application(), ports.gateway(),
                "--bluegreen.gateway.tokens.local.secret=" + GATEWAY_TOKEN,
                "--bluegreen.gateway.tokens.local.apps=*");
        joined(blueServes);
        gatewayUrl = "http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port");
    }

    private ConfigurableApplicationContext start(SpringApplicationBuilder service, int port, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--bluegreen.config=" + appsFile,
                "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--server.port=" + port,
                "--spring.main.banner-mode=off"));
        args.addAll(List.of(extra));
        ConfigurableApplicationContext context = service.run(args.toArray(String[]::new));
        started.add(context);
        return context;
    }

    /** What a start-up step on a thread of its own gave; its own failure, as it was thrown. */
    private static <T> T joined(CompletableFuture<T> step) {
        try {
            return step.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    Sandbox sandbox() {
        return sandbox;
    }

    Path appsFile() {
        return appsFile;
    }

    String gatewayUrl() {
        return gatewayUrl;
    }

    /** Stops everything it started, last started first. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                // keep stopping the rest: a half-stopped stack is worse than a noisy one
            }
        }
        started.clear();
    }
}

package dev.bluegreen.localstack;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.sandbox.digitalocean.ApiException;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.LoadBalancerSettings;

/**
 * Steady load through the sandbox's load balancer while traffic moves between the colours: first bluegreen's own
 * cycles (deploy v2, switch, roll back), then, for comparison, a naive switch that replaces the balancer's pool in one
 * call, as a simple script would. The load comes from wrk, a separate process.
 */
final class ZeroDowntime {

    private static final Duration OUTCOME = Duration.ofMinutes(3);
    private static final Duration LONGEST_LOAD = Duration.ofMinutes(60);
    private static final int CONNECTIONS = 8;

    private final LocalStack stack;
    private final Timeline timeline;
    private final GatewayClient gateway;
    private final Consumer<String> progress;

    ZeroDowntime(LocalStack stack, Timeline timeline, Consumer<String> progress) {
        this.stack = stack;
        this.timeline = timeline;
        this.gateway = new GatewayClient(stack.gatewayUrl());
        this.progress = progress;
    }

    /** Load with nothing moving: the baseline the switches are compared to. */
    Wrk.Result steady(Duration duration) throws IOException, InterruptedException {
        progress.accept("steady load for " + duration.toSeconds() + " s");
        return Wrk.start(stack.sandbox().loadBalancerUrl(), CONNECTIONS, duration).await();
    }

    /** Load during {@code cycles} deploy-switch-rollback cycles through the gateway. */
    Wrk.Result bluegreenCycles(int cycles) throws IOException, InterruptedException {
        Wrk load = Wrk.start(stack.sandbox().loadBalancerUrl(), CONNECTIONS, LONGEST_LOAD);
        try {
            String app = stack.sandbox().appName();
            for (int cycle = 1; cycle <= cycles; cycle++) {
                progress.accept("bluegreen cycle " + cycle + " of " + cycles);
                expect(gateway.deploy(app, "v2", "benchmark"), TrafficSwitched.class);
                expect(gateway.rollback(app, "benchmark", "benchmark cycle"), RolledBack.class);
            }
        } finally {
            return load.stop();
        }
    }

    /**
     * Load while the balancer's pool is replaced in one call, back and forth, {@code switches} times, waiting
     * {@code dwell} after each. Both colours must already run the app (after {@link #bluegreenCycles} they do).
     */
    Wrk.Result naiveSwitches(int switches, Duration dwell) throws IOException, InterruptedException {
        DigitalOceanSimulator simulator = stack.sandbox().simulator();
        String balancer = stack.sandbox().loadBalancerId();
        Wrk load = Wrk.start(stack.sandbox().loadBalancerUrl(), CONNECTIONS, LONGEST_LOAD);
        try {
            for (int i = 0; i < switches; i++) {
                Colour to = i % 2 == 0 ? Colour.GREEN : Colour.BLUE;
                progress.accept("naive switch " + (i + 1) + " of " + switches + " to " + to);
                replacePool(simulator, balancer, stack.sandbox().dropletIds(to));
                Thread.sleep(dwell.toMillis());
            }
        } finally {
            Wrk.Result result = load.stop();
            replacePool(simulator, balancer, stack.sandbox().dropletIds(Colour.BLUE));
            return result;
        }
    }

    private void expect(String deploymentId, Class<?> success) throws InterruptedException, IOException {
        Envelope outcome = timeline.await(e -> e.deploymentId().equals(deploymentId) && isOutcome(e), OUTCOME)
                .orElseThrow(() -> new IOException("No outcome for " + deploymentId + " within " + OUTCOME));
        if (!success.isInstance(outcome.data())) {
            throw new IOException("Expected " + success.getSimpleName() + " but got " + outcome.data());
        }
    }

    private static boolean isOutcome(Envelope e) {
        return e.data() instanceof TrafficSwitched || e.data() instanceof RolledBack
                || e.data() instanceof SwitchFailed || e.data() instanceof ProvisioningFailed
                || e.data() instanceof EnvironmentUnhealthy;
    }

    /** What a simple script does: one PUT of the whole balancer with the other colour's droplets. */
    private static void replacePool(DigitalOceanSimulator simulator, String balancer, List<Long> dropletIds)
            throws InterruptedException {
        while (true) {
            try {
                LoadBalancerSettings now = simulator.loadBalancer(balancer).orElseThrow().settings();
                simulator.replaceLoadBalancer(balancer, new LoadBalancerSettings(now.name(), now.region(), dropletIds,
                        now.tag(), now.forwardingRules(), now.healthCheck(), now.stickySessions(),
                        now.redirectHttpToHttps(), now.enableProxyProtocol(), now.enableBackendKeepalive(),
                        now.httpIdleTimeoutSeconds(), now.disableLetsEncryptDnsRecords(), now.sizeUnit(),
                        now.firewallDeny(), now.firewallAllow()));
                return;
            } catch (ApiException busy) {
                Thread.sleep(100);
            }
        }
    }
}

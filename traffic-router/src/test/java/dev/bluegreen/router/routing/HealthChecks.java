package dev.bluegreen.router.routing;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.LoadBalancer;

/**
 * Stands in for the load balancers' own health checker: every 50 ms each droplet a simulated balancer targets
 * passes its check, unless a test made it fail. The simulator applies the balancer's thresholds, and its metrics
 * path reports the outcome, as DigitalOcean's does.
 */
final class HealthChecks implements AutoCloseable {

    private final DigitalOceanSimulator simulator;
    private final Set<Long> failing = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "test-health-checks");
        thread.setDaemon(true);
        return thread;
    });

    HealthChecks(DigitalOceanSimulator simulator) {
        this.simulator = simulator;
        checker.scheduleWithFixedDelay(this::checkAll, 0, 50, TimeUnit.MILLISECONDS);
    }

    /** From now on these droplets fail their balancer's health check. */
    void fail(Collection<Long> dropletIds) {
        failing.addAll(dropletIds);
    }

    /** From now on these droplets pass their balancer's health check again. */
    void pass(Collection<Long> dropletIds) {
        failing.removeAll(dropletIds);
    }

    private void checkAll() {
        for (LoadBalancer balancer : simulator.loadBalancers()) {
            for (long droplet : balancer.dropletIds()) {
                simulator.recordHealthCheck(balancer.id(), droplet, !failing.contains(droplet));
            }
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}

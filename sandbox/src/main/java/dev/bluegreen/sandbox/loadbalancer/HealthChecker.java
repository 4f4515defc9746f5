package dev.bluegreen.sandbox.loadbalancer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.HealthCheck;
import dev.bluegreen.sandbox.digitalocean.LoadBalancer;
import dev.bluegreen.sandbox.digitalocean.SimulatorSettings;

/**
 * Probes every droplet a load balancer targets with the balancer's {@code health_check}, once per
 * {@code check_interval_seconds} (times the simulator's health-check time scale), and records each result in the
 * simulator, which applies the thresholds. An {@code http} (or {@code https}) check passes on a 2xx or 3xx answer
 * to a GET of its path within {@code response_timeout_seconds}; a {@code tcp} check passes when the connection is
 * taken. The sandbox's droplets speak plain HTTP on their own ports, so the check's {@code port} is not used: the
 * probe goes to the port the droplet's app answers on. A droplet whose previous probe has not finished is not
 * probed again.
 */
final class HealthChecker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

    private final DigitalOceanSimulator simulator;
    private final String loadBalancerId;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService probes;
    private final HttpClient client;
    private final Set<Long> probing = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private HealthChecker(DigitalOceanSimulator simulator, String loadBalancerId, String name) {
        this.simulator = simulator;
        this.loadBalancerId = loadBalancerId;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("lb-" + name + "-health-checks"));
        this.probes = Executors.newCachedThreadPool(daemon("lb-" + name + "-probe"));
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(probes)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static HealthChecker start(DigitalOceanSimulator simulator, String loadBalancerId, String name) {
        HealthChecker checker = new HealthChecker(simulator, loadBalancerId, name);
        checker.scheduler.execute(checker::round);
        return checker;
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        probes.shutdownNow();
    }

    /** Probes every targeted droplet once, then schedules the next round after the check's interval. */
    private void round() {
        if (closed) {
            return;
        }
        Duration next = Duration.ofSeconds(1);
        try {
            Optional<LoadBalancer> balancer = simulator.loadBalancer(loadBalancerId);
            if (balancer.isEmpty()) {
                return;
            }
            HealthCheck check = balancer.get().settings().healthCheck();
            SimulatorSettings settings = simulator.settings();
            Duration timeout = settings.healthCheckDuration(check.responseTimeoutSeconds());
            for (long dropletId : balancer.get().dropletIds()) {
                if (probing.add(dropletId)) {
                    probe(dropletId, check, timeout);
                }
            }
            next = settings.healthCheckDuration(check.checkIntervalSeconds());
        } catch (RuntimeException e) {
            log.warn("Health checks of load balancer {} failed to run; trying again.", loadBalancerId, e);
        }
        if (!closed) {
            scheduler.schedule(this::round, next.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void probe(long dropletId, HealthCheck check, Duration timeout) {
        Optional<URI> http = simulator.httpOf(dropletId);
        if (http.isEmpty()) {
            probing.remove(dropletId);
            return;
        }
        CompletableFuture<Boolean> result = "tcp".equals(check.protocol())
                ? CompletableFuture.supplyAsync(() -> connects(http.get(), timeout), probes)
                : answers(http.get(), check.path(), timeout);
        result.exceptionally(failure -> false).thenAccept(passed -> {
            probing.remove(dropletId);
            if (!closed) {
                simulator.recordHealthCheck(loadBalancerId, dropletId, passed);
            }
        });
    }

    private CompletableFuture<Boolean> answers(URI droplet, String path, Duration timeout) {
        URI target = URI.create(droplet.getScheme() + "://" + droplet.getRawAuthority()
                + (path.startsWith("/") ? path : "/" + path));
        HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout).GET()
                .header("User-Agent", "DigitalOcean-LoadBalancer-HealthCheck (sandbox)").build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(response -> response.statusCode() >= 200 && response.statusCode() < 400);
    }

    private static boolean connects(URI droplet, Duration timeout) {
        int port = droplet.getPort() > 0 ? droplet.getPort() : 80;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(droplet.getHost(), port), (int) Math.max(1, timeout.toMillis()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

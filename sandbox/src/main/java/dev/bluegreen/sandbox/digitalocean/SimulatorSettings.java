package dev.bluegreen.sandbox.digitalocean;

import java.time.Duration;
import java.util.Objects;

/**
 * How strict the simulated DigitalOcean is.
 *
 * @param busyWindow how long a load balancer refuses further changes (403) after one was made
 * @param requestsPerMinute requests one token may make in any 60 seconds before a 429
 * @param requestsPerHour requests one token may make in any hour before a 429
 * @param healthCheckTimeScale sandbox-only: how much faster than real time a load balancer's health checks run.
 *     {@code check_interval_seconds} and {@code response_timeout_seconds} are multiplied by it, so the API keeps
 *     showing (and demanding) DigitalOcean's ranges of 3-300 s while the checks run at, say, 1/15: a 3 s interval
 *     probes every 200 ms. 1 is real time; must be above 0 and at most 1.
 * @param reservedIpActionDelay how long a reserved IP's assign or unassign action stays {@code in-progress} before
 *     it completes and the IP points at its new droplet
 * @param faults the API's injected failures from the start; change them at run time with
 *     {@link DigitalOceanSimulator#faults()}
 * @param healthMetrics how the per-droplet health metrics answer, for every balancer that was not given a shape of
 *     its own ({@link DigitalOceanSimulator#setHealthMetrics}); DigitalOcean does not document it, so pick each in turn
 */
public record SimulatorSettings(Duration busyWindow, int requestsPerMinute, int requestsPerHour,
        double healthCheckTimeScale, Duration reservedIpActionDelay, FaultSettings faults,
        HealthMetricsShape healthMetrics) {

    /**
     * DigitalOcean's published limits and real-time health checks, no busy window, reserved IP actions that take a
     * second, no injected faults, and health metrics labelled by droplet id.
     */
    public static final SimulatorSettings DEFAULTS = new SimulatorSettings(Duration.ZERO, 250, 5_000, 1.0,
            Duration.ofSeconds(1), FaultSettings.NONE, HealthMetricsShape.BY_DROPLET_ID);

    /** A health-check time scale that turns a 3 s interval into 200 ms. */
    public static final double FAST_HEALTH_CHECKS = 1.0 / 15;

    /**
     * What a {@link dev.bluegreen.sandbox.Sandbox} runs by default: {@link #DEFAULTS} with health checks 15 times
     * faster than real time ({@link #FAST_HEALTH_CHECKS}) and reserved IP actions that take 300 ms.
     */
    public static final SimulatorSettings SANDBOX = DEFAULTS.withHealthCheckTimeScale(FAST_HEALTH_CHECKS)
            .withReservedIpActionDelay(Duration.ofMillis(300));

    public SimulatorSettings {
        Objects.requireNonNull(busyWindow, "busyWindow");
        Objects.requireNonNull(reservedIpActionDelay, "reservedIpActionDelay");
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(healthMetrics, "healthMetrics");
        if (busyWindow.isNegative()) {
            throw new IllegalArgumentException("busyWindow must not be negative, was " + busyWindow);
        }
        if (reservedIpActionDelay.isNegative()) {
            throw new IllegalArgumentException(
                    "reservedIpActionDelay must not be negative, was " + reservedIpActionDelay);
        }
        if (requestsPerMinute < 1 || requestsPerHour < 1) {
            throw new IllegalArgumentException("Rate limits must be at least 1 request, were "
                    + requestsPerMinute + " a minute and " + requestsPerHour + " an hour");
        }
        if (!(healthCheckTimeScale > 0 && healthCheckTimeScale <= 1)) {
            throw new IllegalArgumentException(
                    "healthCheckTimeScale must be above 0 and at most 1, was " + healthCheckTimeScale);
        }
    }

    /** The settings before health checks, reserved IPs and faults: real-time checks, 1 s actions, no faults. */
    public SimulatorSettings(Duration busyWindow, int requestsPerMinute, int requestsPerHour) {
        this(busyWindow, requestsPerMinute, requestsPerHour, 1.0, Duration.ofSeconds(1), FaultSettings.NONE);
    }

    /** The settings before the shapes of health metrics: labelled by droplet id. */
    public SimulatorSettings(Duration busyWindow, int requestsPerMinute, int requestsPerHour,
            double healthCheckTimeScale, Duration reservedIpActionDelay, FaultSettings faults) {
        this(busyWindow, requestsPerMinute, requestsPerHour, healthCheckTimeScale, reservedIpActionDelay, faults,
                HealthMetricsShape.BY_DROPLET_ID);
    }

    public SimulatorSettings withBusyWindow(Duration window) {
        return new SimulatorSettings(window, requestsPerMinute, requestsPerHour, healthCheckTimeScale,
                reservedIpActionDelay, faults, healthMetrics);
    }

    public SimulatorSettings withRateLimits(int perMinute, int perHour) {
        return new SimulatorSettings(busyWindow, perMinute, perHour, healthCheckTimeScale, reservedIpActionDelay,
                faults, healthMetrics);
    }

    public SimulatorSettings withHealthCheckTimeScale(double scale) {
        return new SimulatorSettings(busyWindow, requestsPerMinute, requestsPerHour, scale, reservedIpActionDelay,
                faults, healthMetrics);
    }

    public SimulatorSettings withReservedIpActionDelay(Duration delay) {
        return new SimulatorSettings(busyWindow, requestsPerMinute, requestsPerHour, healthCheckTimeScale, delay,
                faults, healthMetrics);
    }

    public SimulatorSettings withFaults(FaultSettings settings) {
        return new SimulatorSettings(busyWindow, requestsPerMinute, requestsPerHour, healthCheckTimeScale,
                reservedIpActionDelay, settings, healthMetrics);
    }

    /** How every balancer's health metrics answer, unless it was given a shape of its own. */
    public SimulatorSettings withHealthMetrics(HealthMetricsShape shape) {
        return new SimulatorSettings(busyWindow, requestsPerMinute, requestsPerHour, healthCheckTimeScale,
                reservedIpActionDelay, faults, shape);
    }

    /** {@code seconds} of a health check setting as the sandbox runs them, after the time scale. */
    public Duration healthCheckDuration(int seconds) {
        return Duration.ofNanos(Math.max(1_000_000L, Math.round(seconds * 1e9 * healthCheckTimeScale)));
    }
}

package dev.bluegreen.sandbox.digitalocean;

import java.time.Duration;
import java.util.Objects;

/**
 * How strict the simulated DigitalOcean is.
 *
 * @param busyWindow how long a load balancer refuses further changes (403) after one was made
 * @param requestsPerMinute requests one token may make in any 60 seconds before a 429
 * @param requestsPerHour requests one token may make in any hour before a 429
 */
public record SimulatorSettings(Duration busyWindow, int requestsPerMinute, int requestsPerHour) {

    /** DigitalOcean's published limits, and no busy window so tests stay fast. */
    public static final SimulatorSettings DEFAULTS = new SimulatorSettings(Duration.ZERO, 250, 5_000);

    public SimulatorSettings {
        Objects.requireNonNull(busyWindow, "busyWindow");
        if (busyWindow.isNegative()) {
            throw new IllegalArgumentException("busyWindow must not be negative, was " + busyWindow);
        }
        if (requestsPerMinute < 1 || requestsPerHour < 1) {
            throw new IllegalArgumentException("Rate limits must be at least 1 request, were "
                    + requestsPerMinute + " a minute and " + requestsPerHour + " an hour");
        }
    }

    public SimulatorSettings withBusyWindow(Duration window) {
        return new SimulatorSettings(window, requestsPerMinute, requestsPerHour);
    }

    public SimulatorSettings withRateLimits(int perMinute, int perHour) {
        return new SimulatorSettings(busyWindow, perMinute, perHour);
    }
}

package dev.bluegreen.sandbox.digitalocean;

import java.time.Duration;
import java.util.Objects;

/**
 * Failures the simulated API injects into a share of its answers, drawn from a random sequence with a fixed seed so
 * a test sees the same answers on every run. Shares are between 0 and 1; each request is checked for a dropped
 * connection first, then a 5xx, and the added latency applies to every request that is answered.
 *
 * @param serverErrorShare the share of requests answered {@code 500 server_error}
 * @param droppedShare the share of requests whose connection is closed without an answer
 * @param addedLatency how much longer every answer takes
 * @param seed the random sequence's seed
 */
public record FaultSettings(double serverErrorShare, double droppedShare, Duration addedLatency, long seed) {

    /** Every request answered, at once, as the API would. */
    public static final FaultSettings NONE = new FaultSettings(0, 0, Duration.ZERO, 42);

    public FaultSettings {
        Objects.requireNonNull(addedLatency, "addedLatency");
        share("serverErrorShare", serverErrorShare);
        share("droppedShare", droppedShare);
        if (serverErrorShare + droppedShare > 1) {
            throw new IllegalArgumentException("serverErrorShare and droppedShare add up to more than 1");
        }
        if (addedLatency.isNegative()) {
            throw new IllegalArgumentException("addedLatency must not be negative, was " + addedLatency);
        }
    }

    public FaultSettings withServerErrorShare(double share) {
        return new FaultSettings(share, droppedShare, addedLatency, seed);
    }

    public FaultSettings withDroppedShare(double share) {
        return new FaultSettings(serverErrorShare, share, addedLatency, seed);
    }

    public FaultSettings withAddedLatency(Duration latency) {
        return new FaultSettings(serverErrorShare, droppedShare, latency, seed);
    }

    public FaultSettings withSeed(long newSeed) {
        return new FaultSettings(serverErrorShare, droppedShare, addedLatency, newSeed);
    }

    private static void share(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, was " + value);
        }
    }
}

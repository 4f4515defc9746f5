package dev.bluegreen.sandbox.history;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * When something happened, read from two clocks at once: the JVM's monotonic clock ({@link System#nanoTime()}),
 * which orders and measures, and the wall clock, which a person reads. Order moments by {@code monotonicNanos}
 * only: the wall clock can be set back. The monotonic clock is the same for every history in one JVM, so moments
 * of two sandboxes in one test compare too.
 */
public record Moment(long monotonicNanos, Instant wall) implements Comparable<Moment> {

    private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    /** How long after {@code earlier} this moment came; negative when it came before. */
    public Duration since(Moment earlier) {
        return Duration.ofNanos(monotonicNanos - earlier.monotonicNanos);
    }

    public boolean before(Moment other) {
        return monotonicNanos < other.monotonicNanos;
    }

    @Override
    public int compareTo(Moment other) {
        return Long.compare(monotonicNanos, other.monotonicNanos);
    }

    /** The wall time of day, such as {@code 14:03:07.215 UTC}. */
    @Override
    public String toString() {
        return TIME_OF_DAY.format(wall) + " UTC";
    }
}

package dev.bluegreen.sandbox.digitalocean;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * DigitalOcean's two sliding windows per token: so many requests in any minute and in any hour. A refused
 * request does not count.
 */
final class RateLimiter {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration HOUR = Duration.ofHours(1);

    private final int perMinute;
    private final int perHour;
    private final Clock clock;
    private final Map<String, Windows> windowsByCaller = new HashMap<>();

    RateLimiter(int perMinute, int perHour, Clock clock) {
        this.perMinute = perMinute;
        this.perHour = perHour;
        this.clock = clock;
    }

    /** Counts one request from the caller, unless a window is full. */
    synchronized Decision acquire(String caller) {
        Instant now = clock.instant();
        Windows windows = windowsByCaller.computeIfAbsent(caller, key -> new Windows());
        windows.forget(now);
        long retryAfter = 0;
        if (windows.hour.size() >= perHour) {
            retryAfter = secondsUntil(windows.hour.peekFirst().plus(HOUR), now);
        } else if (windows.minute.size() >= perMinute) {
            retryAfter = secondsUntil(windows.minute.peekFirst().plus(MINUTE), now);
        } else {
            windows.hour.addLast(now);
            windows.minute.addLast(now);
        }
        Instant oldest = windows.hour.isEmpty() ? now : windows.hour.peekFirst();
        return new Decision(perHour, perHour - windows.hour.size(), oldest.plus(HOUR).getEpochSecond(),
                retryAfter);
    }

    private static long secondsUntil(Instant then, Instant now) {
        return Math.max(1, (Duration.between(now, then).toMillis() + 999) / 1000);
    }

    /**
     * What the {@code ratelimit-*} headers say; {@code retryAfterSeconds} is 0 when the request may go ahead.
     */
    record Decision(int limit, int remaining, long resetEpochSeconds, long retryAfterSeconds) {

        boolean allowed() {
            return retryAfterSeconds == 0;
        }
    }

    private static final class Windows {
        final Deque<Instant> minute = new ArrayDeque<>();
        final Deque<Instant> hour = new ArrayDeque<>();

        void forget(Instant now) {
            drop(minute, now.minus(MINUTE));
            drop(hour, now.minus(HOUR));
        }

        private static void drop(Deque<Instant> window, Instant before) {
            while (!window.isEmpty() && !window.peekFirst().isAfter(before)) {
                window.removeFirst();
            }
        }
    }
}

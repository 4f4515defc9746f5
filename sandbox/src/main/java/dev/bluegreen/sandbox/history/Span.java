package dev.bluegreen.sandbox.history;

import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A stretch of time.
 *
 * @param until when it ended, or null while it goes on
 */
public record Span(Moment from, @Nullable Moment until) {

    public Optional<Moment> end() {
        return Optional.ofNullable(until);
    }

    /** How long it lasted, or has lasted by {@code now} while it goes on. */
    public Duration length(Moment now) {
        return (until == null ? now : until).since(from);
    }

    /** {@code from 14:03:07.215 UTC until 14:03:08.002 UTC}, or {@code from ... and still}. */
    @Override
    public String toString() {
        return "from " + from + (until == null ? " and still" : " until " + until);
    }
}

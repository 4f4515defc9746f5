package dev.bluegreen.lifecycle;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * How the app's last deployment or rollback ended.
 *
 * @param id its id
 * @param kind a deployment or a rollback
 * @param result how it ended
 * @param reason why, for every result but success; null on success
 * @param at when
 */
public record Outcome(String id, Operation.Kind kind, Result result, @Nullable String reason, Instant at) {

    /** The ways a deployment or rollback ends. */
    public enum Result {
        SUCCEEDED, FAILED, CANCELLED, EXPIRED
    }
}

package dev.bluegreen.gateway.webhook;

import org.jspecify.annotations.Nullable;

/**
 * A push as a git host reported it.
 *
 * @param host {@code github} or {@code gitlab}
 * @param deliveryId the host's id of this delivery, the same when it is delivered again
 * @param ref the full ref pushed, such as {@code refs/heads/main}
 * @param commit the commit the ref points at now
 * @param deleted whether the push deleted the ref
 * @param compare a link to the pushed changes on the host
 * @param pusher who pushed
 */
record Push(String host, @Nullable String deliveryId, String ref, @Nullable String commit, boolean deleted,
        @Nullable String compare, String pusher) {

    static final String BRANCH_PREFIX = "refs/heads/";
    static final String TAG_PREFIX = "refs/tags/";
}

package dev.bluegreen.gateway.webhook;

import org.jspecify.annotations.Nullable;

/**
 * A push as a git host reported it. Only what the host signs tells one push from another: a delivery id is a header
 * anyone who captured a delivery can change.
 *
 * @param host {@code github} or {@code gitlab}
 * @param ref the full ref pushed, such as {@code refs/heads/main} or {@code refs/tags/v1.4.0}
 * @param commit the commit the ref points at now (for a tag, the commit it tags, not an annotated tag's own object)
 * @param before the commit the ref pointed at before the push, if the host said; all zeros for a new ref
 * @param deleted whether the push deleted the ref
 * @param compare a link to the pushed changes on the host
 * @param pusher who pushed
 */
record Push(String host, String ref, @Nullable String commit, @Nullable String before, boolean deleted,
        @Nullable String compare, String pusher) {

    static final String BRANCH_PREFIX = "refs/heads/";
    static final String TAG_PREFIX = "refs/tags/";

    boolean isBranch() {
        return ref.startsWith(BRANCH_PREFIX);
    }

    boolean isTag() {
        return ref.startsWith(TAG_PREFIX);
    }

    /** The branch's or the tag's name, such as {@code main} or {@code v1.4.0}. */
    String name() {
        return ref.substring(isTag() ? TAG_PREFIX.length() : isBranch() ? BRANCH_PREFIX.length() : 0);
    }

    /** {@code branch} or {@code tag}, for messages. */
    String kind() {
        return isTag() ? "tag" : "branch";
    }

    /** Whether the push removed the ref rather than pointed it at a commit: such a push never deploys. */
    boolean removesRef() {
        return deleted || commit == null || commit.isBlank() || commit.matches("0+");
    }

    /** The credential the push came with, recorded as the deploy request's actor. */
    String actor() {
        return host + " webhook";
    }
}

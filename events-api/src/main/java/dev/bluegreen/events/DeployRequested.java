package dev.bluegreen.events;

/**
 * Someone asks for a deployment of {@code ref} (a branch, tag or commit) of an app to its idle colour.
 *
 * @param requestedBy who asked, as the request says: a person, a CI job, a webhook's pusher. A note, not proof: a
 *     CI token may name anyone here
 * @param commit the commit the ref pointed at when asked, if the asker knew it (a webhook does); may be null
 * @param actor the credential the request came with, as the gateway checked it: a token's name, or
 *     {@code github webhook} / {@code gitlab webhook}; null in events published before this field was added and in
 *     requests not made through the gateway (optional within version 1)
 */
public record DeployRequested(String app, String ref, String commit, String requestedBy, String actor)
        implements PipelineEvent {

    /** Without an actor, as events published before the field was added read. */
    public DeployRequested(String app, String ref, String commit, String requestedBy) {
        this(app, ref, commit, requestedBy, null);
    }
}

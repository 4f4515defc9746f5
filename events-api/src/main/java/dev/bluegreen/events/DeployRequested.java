package dev.bluegreen.events;

/**
 * Someone asks for a deployment of {@code ref} (a branch, tag or commit) of an app to its idle colour.
 *
 * @param requestedBy who asked: a person, a CI job, a webhook sender
 * @param commit the commit the ref pointed at when asked, if the asker knew it (a webhook does); may be null
 */
public record DeployRequested(String app, String ref, String commit, String requestedBy) implements PipelineEvent {
}

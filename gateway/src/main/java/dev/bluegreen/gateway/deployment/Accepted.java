package dev.bluegreen.gateway.deployment;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.jspecify.annotations.Nullable;

/**
 * The answer to an accepted request: its deployment id, and where to watch it happen.
 *
 * @param ref the ref asked for, for a deployment; absent for a rollback
 * @param events the event stream filtered to the app
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Accepted(String deploymentId, String app, @Nullable String ref, String events) {
}

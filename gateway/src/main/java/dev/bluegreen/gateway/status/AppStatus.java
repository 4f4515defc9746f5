package dev.bluegreen.gateway.status;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.events.Colour;

/**
 * What is live for an app now, and what is under way.
 *
 * @param liveSince when traffic last moved, or absent while the live colour is still the configured initial one
 * @param liveRef the ref last provisioned on the live colour, when the gateway saw it
 * @param current the newest deployment that has not ended, if any
 * @param last the newest deployment that ended, if any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AppStatus(String app, Colour liveColour, @Nullable Instant liveSince, @Nullable String liveRef,
        @Nullable DeploymentView current, @Nullable DeploymentView last) {
}

package dev.bluegreen.lifecycle;

import java.time.Instant;

import dev.bluegreen.events.Colour;

/**
 * The watch over a colour that just went live: the health-monitor keeps probing it for the app's bake period and
 * may ask for a rollback of this deployment. Any later deployment or rollback ends it.
 *
 * @param deploymentId the deployment whose switch is watched
 * @param colour the colour that went live
 * @param since when the switch was recorded
 */
public record Bake(String deploymentId, Colour colour, Instant since) {
}

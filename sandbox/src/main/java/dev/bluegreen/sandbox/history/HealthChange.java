package dev.bluegreen.sandbox.history;

/**
 * A change of one droplet's health as a load balancer's own checker sees it.
 *
 * @param cause {@code its health check}, or {@code it left the load balancer}: a droplet that leaves loses its
 *     health there and starts over if it comes back
 */
public record HealthChange(Moment at, long dropletId, boolean healthy, String cause) {
}

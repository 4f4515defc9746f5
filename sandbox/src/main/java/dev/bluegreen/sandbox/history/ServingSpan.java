package dev.bluegreen.sandbox.history;

/**
 * A stretch of time during which a droplet took traffic from one entry point: a load balancer had it attached and
 * its health checker found it healthy, or a reserved IP pointed at it (a reserved IP checks no health).
 *
 * @param entryPointId the load balancer's id or the reserved IP's address
 * @param entryPointName {@code load balancer <name> (<id>)} or {@code reserved IP <address>}
 * @param healthChecked whether the entry point sends traffic only to droplets that pass a health check
 */
public record ServingSpan(String entryPointId, String entryPointName, boolean healthChecked, long dropletId,
        Span span) {

    @Override
    public String toString() {
        return entryPointName + (healthChecked ? " had it attached and healthy " : " pointed at it ") + span;
    }
}

package dev.bluegreen.events;

/**
 * How one droplet answered its health probes.
 *
 * @param healthy whether it passed enough probes in a row
 * @param probes how many probes were sent
 * @param lastResult the last probe's outcome, such as {@code "200 in 12 ms"} or {@code "connection refused"}
 */
public record DropletHealth(long dropletId, boolean healthy, int probes, String lastResult) {
}

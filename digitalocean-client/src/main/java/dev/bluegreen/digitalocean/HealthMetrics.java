package dev.bluegreen.digitalocean;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code droplets_health_checks} said about a balancer's droplets. DigitalOcean documents the outline of the
 * answer but not the labels of its series nor how often it samples, so what names a droplet is read loosely and
 * kept apart from what does not.
 *
 * @param byDroplet the latest sample of each droplet a series names by id ({@code droplet_id} or {@code host_id})
 * @param otherSeries how many series named no droplet id
 * @param otherLabels the label names of those series, such as {@code [lb_id, instance]}
 */
public record HealthMetrics(Map<Long, Sample> byDroplet, int otherSeries, List<String> otherLabels) {

    /** No series at all. */
    public static final HealthMetrics NONE = new HealthMetrics(Map.of(), 0, List.of());

    public HealthMetrics {
        byDroplet = Map.copyOf(byDroplet);
        otherLabels = List.copyOf(otherLabels);
    }

    /**
     * One sample of one droplet's health check.
     *
     * @param at when DigitalOcean took it
     * @param passing whether the balancer's health check passed on the droplet then (the value is above zero)
     */
    public record Sample(Instant at, boolean passing) {
    }
}

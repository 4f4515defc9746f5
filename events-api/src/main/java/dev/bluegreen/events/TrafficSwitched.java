package dev.bluegreen.events;

import java.util.List;

/**
 * The load balancer now sends the app's traffic to {@code to}; {@code from} stays warm for a rollback.
 *
 * @param dropletIds the droplets that now take the traffic
 */
public record TrafficSwitched(String app, Colour from, Colour to, List<Long> dropletIds, long durationMs)
        implements PipelineEvent {

    public TrafficSwitched {
        dropletIds = List.copyOf(dropletIds);
    }
}

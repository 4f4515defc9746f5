package dev.bluegreen.events;

import java.util.List;

/**
 * Traffic moved back from {@code from} to {@code to}, the colour that was live before the last switch.
 *
 * @param dropletIds the droplets that now take the traffic
 */
public record RolledBack(String app, Colour from, Colour to, List<Long> dropletIds, long durationMs)
        implements PipelineEvent {

    public RolledBack {
        dropletIds = List.copyOf(dropletIds);
    }
}

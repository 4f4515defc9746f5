package dev.bluegreen.events;

import java.util.List;

/**
 * The newly provisioned colour did not pass its health check before the deadline; traffic stays where it is.
 *
 * @param reason why, in words a person understands
 */
public record EnvironmentUnhealthy(String app, Colour colour, String ref, String reason, List<DropletHealth> droplets,
        long durationMs) implements PipelineEvent {

    public EnvironmentUnhealthy {
        droplets = List.copyOf(droplets);
    }
}
